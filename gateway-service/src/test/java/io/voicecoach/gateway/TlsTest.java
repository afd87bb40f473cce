package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;

import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@TestProfile(TlsTest.WithCertificate.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class TlsTest {

    /** Per test JVM: the profile and the test instance see this class in different class loaders, one store. */
    static final SelfSignedCertificate CERTIFICATE =
            SelfSignedCertificate.once(Path.of("target", "tls-" + ProcessHandle.current().pid()));

    public static class WithCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            var pem = CERTIFICATE.pemFiles();
            return Map.of("quarkus.tls.key-store.pem.0.cert", pem.get(0).toAbsolutePath().toString(),
                    "quarkus.tls.key-store.pem.0.key", pem.get(1).toAbsolutePath().toString(),
                    "quarkus.http.test-ssl-port", "0");
        }
    }

    @TestHTTPResource(value = "/v1/realtime", tls = true)
    URI realtime;

    @Test
    void theRealtimeProtocolWorksOverWss() {
        URI wss = websocket(realtime);
        assertThat(wss.getScheme()).isEqualTo("wss");
        var trusting = HttpClient.newBuilder().sslContext(CERTIFICATE.trustingIt()).build();
        try (var client = RealtimeClient.connect(trusting, wss, DEMO_KEY)) {
            assertThat(client.sessionId()).startsWith("sess_");
            client.send(textItem("evt_1", null, "Over TLS.", "agent"));
            client.awaitType("conversation.item.created");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        assertThatThrownBy(() -> RealtimeClient.connect(HttpClient.newHttpClient(), websocket(realtime), DEMO_KEY))
                .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
}
