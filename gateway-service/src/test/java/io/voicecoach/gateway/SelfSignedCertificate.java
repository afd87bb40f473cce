package io.voicecoach.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKCS#12 key store with a self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the
 * JDK's {@code keytool} (no extra dependency), and an SSL context that trusts exactly that certificate.
 */
record SelfSignedCertificate(Path keyStore, String password) {

    private static final String PASSWORD = "changeit-test";

    /**
     * For a local TLS run: writes {@code cert.pem} and {@code key.pem} into the directory given (default
     * {@code target/local-tls}) and prints the settings that make the gateway serve them.
     */
    public static void main(String[] args) {
        var pem = generate(Path.of(args.length > 0 ? args[0] : "target/local-tls")).pemFiles();
        System.out.println("-Dquarkus.tls.key-store.pem.0.cert=" + pem.get(0).toAbsolutePath()
                + " -Dquarkus.tls.key-store.pem.0.key=" + pem.get(1).toAbsolutePath());
    }

    /** The store in {@code directory}, generated the first time. */
    static synchronized SelfSignedCertificate once(Path directory) {
        var keyStore = directory.resolve("gateway-test.p12");
        return Files.exists(keyStore) ? new SelfSignedCertificate(keyStore, PASSWORD) : generate(directory);
    }

    static SelfSignedCertificate generate(Path directory) {
        try {
            Files.createDirectories(directory);
            var keyStore = directory.resolve("gateway-test.p12");
            Files.deleteIfExists(keyStore);
            String password = PASSWORD;
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            var process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "gateway", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", password, "-keypass", password)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return new SelfSignedCertificate(keyStore, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The certificate and its private key as PEM files beside the store: {@code [cert.pem, key.pem]}. */
    List<Path> pemFiles() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            var store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            var mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            var cert = keyStore.resolveSibling("cert.pem");
            var key = keyStore.resolveSibling("key.pem");
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                    + mime.encodeToString(store.getCertificate("gateway").getEncoded()) + "\n-----END CERTIFICATE-----\n");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                    + mime.encodeToString(store.getKey("gateway", password.toCharArray()).getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            return List.of(cert, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot export " + keyStore, e);
        }
    }

    SSLContext trustingIt() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            var store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            var trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("gateway", store.getCertificate("gateway"));
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + keyStore, e);
        }
    }
}
