package io.mcpcrew.crew.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.UUID;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The container tests' own JWT issuer: an RSA key pair made fresh for each test run (never committed). Its public
 * key is written, before any test class starts a server, to the file the servers are told to trust
 * ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}, set by failsafe). Registered as a JUnit {@link LauncherSessionListener}.
 */
public final class TestTokens implements LauncherSessionListener {
    public static final String ISSUER = "crew-redis-test";
    public static final String PUBLIC_KEY_PROPERTY = "crew.test.jwt.public-key";
    private static KeyPair keys;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        keys();
    }

    public static synchronized KeyPair keys() {
        if (keys == null) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                keys = g.generateKeyPair();
                String file = System.getProperty(PUBLIC_KEY_PROPERTY);
                if (file != null) {
                    Path p = Path.of(file);
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, "-----BEGIN PUBLIC KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n");
                }
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot create the test JWT keys", e);
            }
        }
        return keys;
    }

    /** A valid token for {@code tenant} (groups: crew-user). */
    public static String forTenant(String tenant) {
        return token(tenant, "[\"crew-user\"]", 3600);
    }

    /** A valid token in the admin group (may act on any tenant). */
    public static String admin() {
        return token("ops", "[\"crew-user\",\"crew-admin\"]", 3600);
    }

    /** A valid token of the scrape group only ({@code crew-metrics}): may read the metrics, nothing else. */
    public static String scraper() {
        return token("prometheus", "[\"crew-metrics\"]", 3600);
    }

    /** A token that expired a minute ago. */
    public static String expired(String tenant) {
        return token(tenant, "[\"crew-user\"]", -60);
    }

    static String token(String tenant, String groups, long ttlSeconds) {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + ISSUER + "\",\"sub\":\"test-" + tenant + "\",\"upn\":\"test-" + tenant
                + "\",\"tenant\":\"" + tenant + "\",\"groups\":" + groups + ",\"iat\":" + (now - 120) + ",\"exp\":"
                + (now + ttlSeconds) + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys().getPrivate());
            s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
