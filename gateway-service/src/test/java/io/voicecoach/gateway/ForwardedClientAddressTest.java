package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19: behind an ingress the per-IP caps count the client, not the ingress. With Quarkus' forwarding on and
 * 127.0.0.1 the one trusted proxy, the {@code X-Forwarded-For} of a WebSocket upgrade from 127.0.0.1 is the key; from
 * 127.0.0.2 (not trusted) it is ignored and the peer address is the key; the access log's {@code %h} follows the same
 * rule. ({@code TwilioLimitsTest} shows the default, forwarding off, ignoring the header from anyone.)
 */
@QuarkusTest
@TestProfile(ForwardedClientAddressTest.BehindATrustedProxy.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class ForwardedClientAddressTest {

    static final String PROXY = "127.0.0.1";
    static final String UNTRUSTED = "127.0.0.2";
    static final Path LOG_DIRECTORY = Path.of("target", "forwarded-access-log-test");
    static final Path LOG = LOG_DIRECTORY.resolve("access.log");

    public static class BehindATrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            var config = new HashMap<>(AccessLogTest.toFile(LOG_DIRECTORY));
            config.putAll(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", PROXY,
                    "voicecoach.limits.unauthenticated-sockets-per-ip", "1",
                    "voicecoach.limits.twilio-start-timeout", "3s"));
            return config;
        }
    }

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    @Test
    void behindTheTrustedProxyEachForwardedClientHasItsOwnCap() {
        try (var first = client(PROXY, "203.0.113.10");
             var second = client(PROXY, "203.0.113.11");
             var firstAgain = client(PROXY, "203.0.113.10")) {
            // one unauthenticated socket per client: one of the first client's two is refused (whichever the gateway
            // opened second), the other client's waits for its start until the deadline
            assertThat(closeCodes(first, firstAgain)).containsExactlyInAnyOrder(4029, 4008);
            assertThat(second.awaitCloseCode()).isEqualTo(4008);
        }
    }

    @Test
    void fromAnUntrustedAddressTheForwardedHeaderIsIgnored() {
        try (var first = client(UNTRUSTED, "203.0.113.20");
             var forged = client(UNTRUSTED, "203.0.113.21")) {
            // both count as 127.0.0.2, whatever they claim: one is refused
            assertThat(closeCodes(first, forged)).containsExactlyInAnyOrder(4029, 4008);
        }
    }

    /** The access log's {@code %h} is the forwarded client behind the trusted proxy, the peer otherwise. */
    @Test
    void theAccessLogNamesTheClientBehindTheTrustedProxyOnly() throws Exception {
        String path = "/v1/forwarded-" + UUID.randomUUID();
        for (String from : List.of(PROXY, UNTRUSTED)) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + twilio.getPort() + path))
                    .header("X-Forwarded-For", "203.0.113.30").GET().build();
            assertThat(bound(from).send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isPositive();
        }
        await().atMost(WAIT).until(() -> lines(path).size() == 2);
        assertThat(lines(path)).anySatisfy(line -> assertThat(line).startsWith("203.0.113.30 "))
                .anySatisfy(line -> assertThat(line).startsWith(UNTRUSTED + " "));
    }

    private static List<String> lines(String path) throws IOException {
        return Files.exists(LOG) ? Files.readAllLines(LOG).stream().filter(l -> l.contains(path)).toList() : List.of();
    }

    /** The close codes of {@code clients}, once each is closed. */
    static List<Integer> closeCodes(TwilioClient... clients) {
        return Arrays.stream(clients).map(TwilioClient::awaitCloseCode).toList();
    }

    /** A Twilio socket from local address {@code from} whose upgrade carries {@code X-Forwarded-For: forwardedFor}. */
    private TwilioClient client(String from, String forwardedFor) {
        var uri = URI.create(websocket(twilio).toString().replace("//localhost:", "//127.0.0.1:"));
        return new TwilioClient(bound(from), uri, "CA" + UUID.randomUUID().toString().replace("-", ""),
                Map.of("X-Forwarded-For", forwardedFor));
    }

    private static HttpClient bound(String address) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
