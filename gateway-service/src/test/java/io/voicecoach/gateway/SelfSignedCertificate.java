package io.voicecoach.gateway;

import io.voicecoach.devstack.SelfSignedKeyStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKCS#12 key store with a self-signed certificate for {@code localhost} and {@code 127.0.0.1} (made by
 * devstack's {@link SelfSignedKeyStore}, the one the local TLS run uses), and an SSL context that trusts exactly it.
 */
record SelfSignedCertificate(Path keyStore, String password) {

    private static final String ALIAS = SelfSignedKeyStore.ALIAS;

    /** The store in {@code directory}, generated the first time. */
    static synchronized SelfSignedCertificate once(Path directory) {
        return new SelfSignedCertificate(SelfSignedKeyStore.ensure(directory.resolve("gateway-test.p12")),
                SelfSignedKeyStore.PASSWORD);
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
                    + mime.encodeToString(store.getCertificate(ALIAS).getEncoded()) + "\n-----END CERTIFICATE-----\n");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                    + mime.encodeToString(store.getKey(ALIAS, password.toCharArray()).getEncoded())
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
            trusted.setCertificateEntry(ALIAS, store.getCertificate(ALIAS));
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
