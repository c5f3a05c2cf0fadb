package io.mcpcrew.crew.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private CA with a server certificate and a client certificate, made with {@code openssl} (and the JDK's
 * {@code keytool}) in a temp directory, for tests of TLS to a real {@code redis-server}: PEM files for the server,
 * a PKCS12 trust store (the CA) and a PKCS12 key store (the client's certificate and key) for the Java client.
 * Valid for two days; nothing is reused between runs.
 */
public final class TestCertificates {
    /** The password of both stores. */
    public static final String STORE_PASSWORD = "crew-test-store";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * A CA named {@code caName}, a server certificate for the subject alternative names {@code serverSans} (e.g.
     * {@code "IP:127.0.0.1"}) and a client certificate, all signed by it.
     */
    public static TestCertificates create(String caName, String serverSans) {
        try {
            Path d = Files.createTempDirectory("crew-tls-");
            TestCertificates c = new TestCertificates(d);
            c.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=" + caName);
            Files.writeString(d.resolve("server.ext"), "subjectAltName=" + serverSans + "\n"
                    + "extendedKeyUsage=serverAuth\n");
            Files.writeString(d.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
            for (String who : new String[] {"server", "client"}) {
                c.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                        "-subj", "/CN=crew-test-" + who);
                c.run("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                        "-CAcreateserial", "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
            }
            c.run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "ca", "-file", "ca.crt", "-keystore", "truststore.p12", "-storetype", "PKCS12",
                    "-storepass", STORE_PASSWORD);
            c.run("openssl", "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-certfile", "ca.crt",
                    "-name", "client", "-out", "client.p12", "-passout", "pass:" + STORE_PASSWORD);
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test certificates: " + e.getMessage(), e);
        }
    }

    /** The server's certificate (PEM). */
    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    /** The server's private key (PEM). */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The CA certificate (PEM), for {@code tls-ca-cert-file}. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** The client's certificate (PEM; extended key usage clientAuth), e.g. for {@code tls-client-cert-file}. */
    public Path clientCertificate() {
        return dir.resolve("client.crt");
    }

    /** The client's private key (PEM), e.g. for {@code tls-client-key-file}. */
    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** PKCS12 trust store holding the CA, password {@link #STORE_PASSWORD}. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** PKCS12 key store holding the client's certificate and key, password {@link #STORE_PASSWORD}. */
    public Path clientKeystore() {
        return dir.resolve("client.p12");
    }

    /**
     * The {@code redis-server} arguments of a TLS port with these certificates; {@code requireClientCertificate}
     * sets {@code tls-auth-clients} to yes, else no.
     */
    public List<String> redisServerArgs(int tlsPort, boolean requireClientCertificate) {
        return new ArrayList<>(List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file",
                serverCertificate().toString(), "--tls-key-file", serverKey().toString(), "--tls-ca-cert-file",
                caCertificate().toString(), "--tls-auth-clients", requireClientCertificate ? "yes" : "no"));
    }

    /**
     * A TLS context that trusts the CA only and presents the client certificate: what a Java client of a server with
     * these certificates and {@code tls-auth-clients yes} needs.
     */
    public SSLContext clientContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(clientKeystore()), STORE_PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(truststore()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the test stores in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        return ks;
    }

    /** Deletes the directory. */
    public void delete() {
        RedisServer.deleteRecursively(dir);
    }

    private void run(String... cmd) {
        try {
            Path log = dir.resolve("tool.log");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log)
                        + (cmd[0].equals("openssl") ? " (the TLS tests need openssl: sudo apt-get install -y openssl)" : ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd[0] + ": " + e.getMessage()
                    + " (the TLS tests need openssl: sudo apt-get install -y openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
