package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.tenancy.TenantKeys;

/**
 * Every Redis key of the sessions component, built in this one place (see {@code docs/wire-format/sessions.md}):
 * <ul>
 * <li>{@code <prefix>:<tenant>:sessions:{<tenant>.<userId>}:session:<sessionId>}: the session hash;</li>
 * <li>{@code <prefix>:<tenant>:sessions:{<tenant>.<userId>}:index}: the user's index (ZSET id → expiry ms);</li>
 * <li>{@code <prefix>:<tenant>:sessions:users}: users to visit on cleanup (ZSET userId → visit-until ms);</li>
 * <li>{@code <prefix>:_sys:sessions:tenants}: tenants to visit on cleanup (ZSET tenant → visit-until ms).
 * {@code _sys} can never be a tenant id ({@link io.mcpcrew.crew.validation.Names#RULE} forbids a leading
 * {@code _}), so this key is outside every tenant's namespace.</li>
 * </ul>
 * The session hash and its user's index share the hash tag {@code {<tenant>.<userId>}}: one slot, one script.
 */
final class SessionKeys {
    static final String COMPONENT = "sessions";
    /** The namespace of keys that belong to no tenant. */

    private SessionKeys() {
    }

    static String session(TenantKeys keys, SessionId id) {
        return keys.tagged(COMPONENT, id.userId(), "session", id.value());
    }

    static String index(TenantKeys keys, String userId) {
        return keys.tagged(COMPONENT, userId, "index");
    }

    static String usersRegistry(TenantKeys keys) {
        return keys.key(COMPONENT, "users");
    }

    static String tenantsRegistry(String keyPrefix) {
        return TenantKeys.systemKey(keyPrefix, COMPONENT, "tenants");
    }
}
