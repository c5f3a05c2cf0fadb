package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.TestCertificates;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * How the Sentinel topology is secured, as the deploy guide runs it in production. A CA of this run
 * ({@link TestCertificates}) signs the servers' certificate (IP 127.0.0.1) and the client certificate every client
 * presents: the nodes, the suite, the replica to its master, the Sentinels to the servers and to each other. Every
 * server and Sentinel listens with TLS only ({@code port 0}, {@code tls-port}), requires that client certificate
 * ({@code tls-auth-clients yes}) and connects out with TLS ({@code tls-replication yes}). The {@code default} user is
 * off everywhere; each role logs in as an ACL user of its own, with a password made for this run:
 * <ul>
 * <li>on the master and the replica: {@link #DATA_USER} (the application: every key, channel and command),
 * {@link #REPLICA_USER} ({@code PSYNC}, {@code REPLCONF}, {@code PING}: every server's {@code masteruser}, since
 * each may become a replica) and {@link #MONITOR_USER} (what a Sentinel needs, the rule of Redis's ACL
 * documentation: the Sentinels' {@code sentinel auth-user});</li>
 * <li>on the Sentinels: {@link #SENTINEL_USER} (the clients of the Sentinels: the nodes'
 * {@code redis.crew.sentinel.username} and the suite) and {@link #PEER_USER} (the Sentinels among themselves:
 * {@code sentinel sentinel-user}).</li>
 * </ul>
 */
final class SentinelSecurity implements AutoCloseable {
    static final String DATA_USER = "crew";
    static final String REPLICA_USER = "crew-replica";
    static final String MONITOR_USER = "crew-monitor";
    static final String SENTINEL_USER = "crew-sentinel";
    static final String PEER_USER = "crew-sentinel-peer";
    /** The commands a Sentinel sends to the servers it watches (Redis ACL documentation, Sentinel and replicas). */
    private static final List<String> MONITOR_RULES = List.of("allchannels", "+multi", "+slaveof", "+ping", "+exec",
            "+subscribe", "+config|rewrite", "+role", "+publish", "+info", "+client|setname", "+client|kill",
            "+script|kill");
    private final TestCertificates certs;
    private final String dataPassword = secret();
    private final String replicaPassword = secret();
    private final String monitorPassword = secret();
    private final String sentinelPassword = secret();
    private final String peerPassword = secret();

    private SentinelSecurity(TestCertificates certs) {
        this.certs = certs;
    }

    /** Makes the CA and the certificates of this run (openssl, keytool). */
    static SentinelSecurity create() {
        return new SentinelSecurity(TestCertificates.create("crew-topology-ca", "IP:127.0.0.1"));
    }

    private static String secret() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A master or replica (not started yet): TLS only, the three users, the replica's login to its master. */
    RedisServer server(List<String> args) {
        List<String> all = new ArrayList<>(List.of(
                "--user", "default", "off",
                "--user", DATA_USER, "on", ">" + dataPassword, "~*", "&*", "+@all",
                "--user", REPLICA_USER, "on", ">" + replicaPassword, "+psync", "+replconf", "+ping",
                "--user", MONITOR_USER, "on", ">" + monitorPassword));
        all.addAll(MONITOR_RULES);
        all.addAll(List.of("--masteruser", REPLICA_USER, "--masterauth", replicaPassword));
        all.addAll(args);
        return RedisServer.tlsOnly(certs, DATA_USER, dataPassword, all.toArray(String[]::new));
    }

    /** A Sentinel's configuration lines: TLS only on {@code port}, its users, its login to the other Sentinels. */
    List<String> sentinelConf(int port) {
        return List.of(
                "port 0",
                "tls-port " + port,
                "tls-cert-file " + certs.serverCertificate(),
                "tls-key-file " + certs.serverKey(),
                "tls-ca-cert-file " + certs.caCertificate(),
                "tls-client-cert-file " + certs.clientCertificate(),
                "tls-client-key-file " + certs.clientKey(),
                "tls-auth-clients yes",
                "tls-replication yes",
                "user default off",
                "user " + SENTINEL_USER + " on >" + sentinelPassword + " ~* &* +@all",
                "user " + PEER_USER + " on >" + peerPassword + " ~* &* +@all",
                "sentinel sentinel-user " + PEER_USER,
                "sentinel sentinel-pass " + peerPassword);
    }

    /** A Sentinel's login to the servers of {@code master} (lines after its {@code sentinel monitor} line). */
    List<String> monitorLogin(String master) {
        return List.of("sentinel auth-user " + master + " " + MONITOR_USER,
                "sentinel auth-pass " + master + " " + monitorPassword);
    }

    /** What points a node at this topology's TLS and logins ({@code redis.crew.ssl.*}, users, Sentinel login). */
    Map<String, String> nodeEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_CREW_SSL", "true");
        env.put("REDIS_CREW_SSL_TRUSTSTORE", certs.truststore().toString());
        env.put("REDIS_CREW_SSL_TRUSTSTORE_PASSWORD", TestCertificates.STORE_PASSWORD);
        env.put("REDIS_CREW_SSL_KEYSTORE", certs.clientKeystore().toString());
        env.put("REDIS_CREW_SSL_KEYSTORE_PASSWORD", TestCertificates.STORE_PASSWORD);
        env.put("REDIS_CREW_SSL_VERIFY", "full");
        env.put("REDIS_CREW_USERNAME", DATA_USER);
        env.put("REDIS_CREW_PASSWORD", dataPassword);
        env.put("REDIS_CREW_SENTINEL_USERNAME", SENTINEL_USER);
        env.put("REDIS_CREW_SENTINEL_PASSWORD", sentinelPassword);
        return env;
    }

    /** The suite's client of the servers: as a node connects (TLS, client certificate, host checked, data user). */
    JedisClientConfig dataClient() {
        return client(true, DATA_USER, dataPassword);
    }

    /** The suite's client of the Sentinels: as a node asks them (TLS, client certificate, Sentinel user). */
    JedisClientConfig sentinelClient() {
        return client(true, SENTINEL_USER, sentinelPassword);
    }

    /** The data user's password (to show it does not open the Sentinels). */
    String dataPassword() {
        return dataPassword;
    }

    /** The Sentinel user's password (to show it does not open the servers). */
    String sentinelPassword() {
        return sentinelPassword;
    }

    /**
     * A TLS client that trusts the CA of this run, checks the host name, presents the client certificate or not, and
     * logs in as {@code user} (none when null); RESP2, 5 s timeouts.
     */
    JedisClientConfig client(boolean clientCertificate, String user, String password) {
        SslOptions.Builder tls = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL)
                .truststore(certs.truststore().toFile(), TestCertificates.STORE_PASSWORD.toCharArray())
                .trustStoreType("PKCS12");
        if (clientCertificate) {
            tls.keystore(certs.clientKeystore().toFile(), TestCertificates.STORE_PASSWORD.toCharArray())
                    .keyStoreType("PKCS12");
        }
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().ssl(true).sslOptions(tls.build())
                .connectionTimeoutMillis(5000).socketTimeoutMillis(5000).autoNegotiateProtocol(false);
        if (user != null) {
            b.user(user).password(password);
        }
        return b.build();
    }

    /** Deletes the certificates and stores. */
    @Override
    public void close() {
        certs.delete();
    }
}
