package io.mcpcrew.crew.tenancy;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.regex.Pattern;

/**
 * Builds every key of one tenant: {@code <prefix>:<tenant>:<component>:<part>...}. Components never concatenate
 * keys by hand. Each part is checked: it may hold only {@code A-Z a-z 0-9 _ - .} (1 to 128 characters), so no
 * input can add a {@code :} level, a hash tag or a glob character, and every key stays under
 * {@link #tenantPrefix()}.
 *
 * <p>{@link #tagged} puts the component's object in a hash tag, {@code crew:t1:tasks:{t1.default}:pending}: all
 * keys of one queue (stream, session, ...) land in one Cluster slot so its Lua scripts run there, while different
 * tenants' objects of the same name spread over the cluster (the tag includes the tenant).
 */
public final class TenantKeys {
    private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String prefix;
    private final String tenant;
    private final String tenantPrefix;

    TenantKeys(String prefix, String tenant) {
        this.prefix = Names.require("key prefix", prefix);
        this.tenant = Names.tenant(tenant);
        this.tenantPrefix = prefix + ":" + tenant + ":";
    }

    public static TenantKeys of(String prefix, String tenant) {
        return new TenantKeys(prefix, tenant);
    }

    public String tenant() {
        return tenant;
    }

    /** {@code crew:t1:} — every key of this tenant starts with it. */
    public String tenantPrefix() {
        return tenantPrefix;
    }

    /** {@code crew:t1:<component>:<part>:...}. */
    public String key(String component, String... parts) {
        StringBuilder sb = new StringBuilder(tenantPrefix).append(component(component));
        for (String p : parts) {
            sb.append(':').append(part(p));
        }
        return sb.toString();
    }

    /** {@code crew:t1:<component>:{t1.<name>}:<suffix>...}: keys of one object, in one Cluster slot. */
    public String tagged(String component, String name, String... suffix) {
        StringBuilder sb = new StringBuilder(tenantPrefix).append(component(component)).append(':')
                .append(hashTag(name));
        for (String p : suffix) {
            sb.append(':').append(part(p));
        }
        return sb.toString();
    }

    /** {@code {t1.<name>}}. */
    public String hashTag(String name) {
        return "{" + tenant + "." + part(name) + "}";
    }

    /**
     * A SCAN MATCH pattern for every key below {@code <component>:<parts...>:}; parts are checked and escaped,
     * so the pattern never matches outside this tenant and component.
     */
    public String scanPattern(String component, String... parts) {
        StringBuilder sb = new StringBuilder(escapeGlob(tenantPrefix)).append(component(component)).append(':');
        for (String p : parts) {
            sb.append(escapeGlob(part(p))).append(':');
        }
        return sb.append('*').toString();
    }

    /** SCAN pattern for the keys {@link #tagged} builds for one object: {@code crew:t1:<c>:\{t1.<name>\}:*}. */
    public String taggedScanPattern(String component, String name) {
        return escapeGlob(tenantPrefix + component(component) + ":" + hashTag(name) + ":") + "*";
    }

    /** The namespace of cross-tenant keys: {@code <prefix>:_sys:...}. It can never be a tenant id (ids start with a
     * letter or digit), so system keys never collide with tenant data. */
    public static final String SYSTEM_NAMESPACE = "_sys";

    /**
     * A cross-tenant (system) key, {@code <prefix>:_sys:<component>:<part>...}, for registries such as the queues
     * the task workers serve; parts are checked like tenant key parts.
     */
    public static String systemKey(String prefix, String component, String... parts) {
        StringBuilder sb = new StringBuilder(Names.require("key prefix", prefix)).append(':').append(SYSTEM_NAMESPACE)
                .append(':').append(component(component));
        for (String p : parts) {
            sb.append(':').append(part(p));
        }
        return sb.toString();
    }

    /** True if {@code key} belongs to this tenant. */
    public boolean owns(String key) {
        return key != null && key.startsWith(tenantPrefix);
    }

    /** Escapes Redis glob characters ({@code * ? [ ] \ { }}) so a literal string matches only itself. */
    public static String escapeGlob(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '{' || c == '}' || c == '^') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String component(String c) {
        if (c == null || !COMPONENT.matcher(c).matches()) {
            throw new IllegalArgumentException("invalid key component " + Names.quote(c) + ": must match " + COMPONENT);
        }
        return c;
    }

    private static String part(String p) {
        if (p == null || !PART.matcher(p).matches()) {
            throw new InvalidInputException("invalid key part " + Names.quote(p)
                    + ": must be 1 to 128 characters from A-Z, a-z, 0-9, '_', '-' and '.'");
        }
        return p;
    }

    String prefix() {
        return prefix;
    }
}
