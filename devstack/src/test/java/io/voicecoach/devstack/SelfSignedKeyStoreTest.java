package io.voicecoach.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedKeyStoreTest {

    @Test
    void makesAKeyStoreForLocalhostOnceAndKeepsIt(@TempDir Path dir) throws Exception {
        Path file = SelfSignedKeyStore.ensure(dir.resolve("tls/gateway.p12"));
        var keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, SelfSignedKeyStore.PASSWORD.toCharArray());
        }
        var certificate = (X509Certificate) keyStore.getCertificate(SelfSignedKeyStore.ALIAS);
        certificate.checkValidity();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(certificate.getSubjectAlternativeNames())
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(keyStore.isKeyEntry(SelfSignedKeyStore.ALIAS)).isTrue();

        long modified = Files.getLastModifiedTime(file).toMillis();
        assertThat(SelfSignedKeyStore.ensure(file)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
    }

    @Test
    void aTlsRunGivesOnlyTheGatewayTheKeyStoreAndTheTlsPort() {
        var settings = LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc", "VOICECOACH_TLS", "true",
                "VOICECOACH_TLS_PORT", "9443"));
        var config = settings.suiteConfig("127.0.0.1:9092", new Database("jdbc:postgresql://db/voicecoach", "u", "p"));

        assertThat(config.systemProperties(Service.GATEWAY)).contains("-Dquarkus.http.ssl-port=9443",
                "-Dquarkus.tls.key-store.p12.path=" + settings.tlsKeyStore(),
                "-Dquarkus.tls.key-store.p12.password=" + SelfSignedKeyStore.PASSWORD);
        assertThat(config.systemProperties(Service.COACHING)).noneMatch(p -> p.contains("quarkus.tls"));
        assertThat(LauncherSettings.fromEnvironment(Map.of("VOICECOACH_HOME", "/tmp/vc")).tls()).isFalse();
    }
}
