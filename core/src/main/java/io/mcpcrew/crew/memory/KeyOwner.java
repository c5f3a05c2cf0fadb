package io.mcpcrew.crew.memory;

import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.validation.Names;
import java.util.regex.Pattern;

/**
 * Whose a key is, by the key layout {@code <prefix>:<tenant>:<component>:...} ({@link TenantKeys}): a tenant and a
 * component; {@value #SYSTEM} and the component for {@code <prefix>:_sys:<component>:...}; {@value #OUTSIDE} and
 * {@value #OTHER} for a key outside the prefix or not of that form.
 *
 * @param tenant    the tenant id, {@value #SYSTEM} or {@value #OUTSIDE}
 * @param component the component segment ({@code tasks}, {@code events}, ...) or {@value #OTHER}
 */
public record KeyOwner(String tenant, String component) {
    /** The owner of cross-tenant registries ({@code <prefix>:_sys:...}). */
    public static final String SYSTEM = TenantKeys.SYSTEM_NAMESPACE;
    /** The owner of keys outside the key prefix, or under it but not of its form. */
    public static final String OUTSIDE = "_outside";
    /** The component of a key of no known form. */
    public static final String OTHER = "_other";

    private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final KeyOwner UNKNOWN = new KeyOwner(OUTSIDE, OTHER);

    /** True for a tenant's key (not a system key, not outside the layout). */
    public boolean isTenant() {
        return !SYSTEM.equals(tenant) && !OUTSIDE.equals(tenant);
    }

    /** The owner of {@code key} under {@code keyPrefix}. */
    public static KeyOwner of(String keyPrefix, String key) {
        int p = keyPrefix.length();
        if (key.length() <= p + 1 || !key.startsWith(keyPrefix) || key.charAt(p) != ':') {
            return UNKNOWN;
        }
        int t = key.indexOf(':', p + 1);
        if (t < 0) {
            return UNKNOWN;
        }
        String tenant = key.substring(p + 1, t);
        if (!SYSTEM.equals(tenant) && !Names.isValid(tenant)) {
            return UNKNOWN;
        }
        int c = key.indexOf(':', t + 1);
        String component = c < 0 ? key.substring(t + 1) : key.substring(t + 1, c);
        return new KeyOwner(tenant, COMPONENT.matcher(component).matches() ? component : OTHER);
    }
}
