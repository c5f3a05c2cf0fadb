package io.mcpcrew.crew.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Optional;

/**
 * How the client checks Redis's certificate and proves its own, with {@code redis.crew.ssl=true}: a trust store
 * holding the CA that signed the Redis servers' certificates (none: the JVM's default trust), a key store with the
 * client's certificate and key when Redis requires one ({@code tls-auth-clients yes}), and whether the host name
 * must match the certificate. The same settings apply to every node and, in Sentinel mode, to the Sentinels.
 *
 * @param truststore         {@code redis.crew.ssl.truststore}: path of the trust store, or null
 * @param truststorePassword {@code redis.crew.ssl.truststore-password}, or null
 * @param truststoreType     {@code redis.crew.ssl.truststore-type}: PKCS12 (default) or JKS
 * @param keystore           {@code redis.crew.ssl.keystore}: path of the client key store, or null
 * @param keystorePassword   {@code redis.crew.ssl.keystore-password}, or null
 * @param keystoreType       {@code redis.crew.ssl.keystore-type}: PKCS12 (default) or JKS
 * @param verify             {@code redis.crew.ssl.verify}: FULL (default; the CA and the host name) or CA (the CA only)
 */
public record TlsSettings(Path truststore, String truststorePassword, String truststoreType, Path keystore,
        String keystorePassword, String keystoreType, Verify verify) {

    /** What the client checks of the server's certificate. */
    public enum Verify {
        /** Signed by a trusted CA, and issued for the host connected to (a SAN with its name or IP). */
        FULL,
        /** Signed by a trusted CA, whatever host it names (for addresses no certificate can list). */
        CA
    }

    static final String KEY = RedisCrewConfig.PREFIX + "ssl.";

    /** No trust or key store, full verification: the JVM's default trust. */
    public static TlsSettings defaults() {
        return new TlsSettings(null, null, "PKCS12", null, null, "PKCS12", Verify.FULL);
    }

    /** True when anything differs from {@link #defaults()} (a trust store, a key store or CA-only verification). */
    public boolean isCustom() {
        return truststore != null || keystore != null || verify != Verify.FULL;
    }

    /**
     * Reads the {@code redis.crew.ssl.*} settings; with TLS off ({@code ssl} false) any of them is an error, as is a
     * store that cannot be opened with its type and password (checked now, so a bad path or password stops the
     * start-up instead of failing every connection).
     */
    static TlsSettings load(ConfigSource c, boolean ssl) {
        Optional<String> trust = c.raw(KEY + "truststore");
        Optional<String> key = c.raw(KEY + "keystore");
        Verify verify = c.enumValue(KEY + "verify", Verify.class, Verify.FULL);
        if (!ssl) {
            for (String k : new String[] {"truststore", "truststore-password", "truststore-type", "keystore",
                "keystore-password", "keystore-type", "verify"}) {
                Optional<String> v = c.raw(KEY + k);
                if (v.isPresent()) {
                    throw new ConfigurationException(KEY + k, k.endsWith("password") ? "***" : v.get(),
                            "is set but redis.crew.ssl is false: set redis.crew.ssl=true to connect with TLS");
                }
            }
            return defaults();
        }
        String trustType = storeType(c, "truststore-type");
        String keyType = storeType(c, "keystore-type");
        String trustPassword = c.raw(KEY + "truststore-password").orElse(null);
        String keyPassword = c.raw(KEY + "keystore-password").orElse(null);
        Path trustPath = trust.map(p -> store(KEY + "truststore", p, trustType, trustPassword)).orElse(null);
        Path keyPath = key.map(p -> store(KEY + "keystore", p, keyType, keyPassword)).orElse(null);
        return new TlsSettings(trustPath, trustPassword, trustType, keyPath, keyPassword, keyType, verify);
    }

    private static String storeType(ConfigSource c, String k) {
        String type = c.string(KEY + k, "PKCS12").toUpperCase(Locale.ROOT);
        if (!type.equals("PKCS12") && !type.equals("JKS")) {
            throw new ConfigurationException(KEY + k, type, "must be PKCS12 or JKS");
        }
        return type;
    }

    /** The store at {@code path}, opened once to check it; a store that cannot be read stops the start-up. */
    private static Path store(String key, String path, String type, String password) {
        Path p = Path.of(path.trim());
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigurationException(key, path, "no readable file at this path");
        }
        try (InputStream in = Files.newInputStream(p)) {
            KeyStore.getInstance(type).load(in, password == null ? null : password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(key, path, "cannot be opened as a " + type + " store with the password"
                    + " given (" + key + "-password): " + e.getMessage());
        }
        return p;
    }

    @Override
    public String toString() {
        return "TlsSettings[truststore=" + truststore + ", keystore=" + keystore + ", verify=" + verify + "]";
    }
}
