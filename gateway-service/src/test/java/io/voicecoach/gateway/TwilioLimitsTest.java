package io.voicecoach.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.AudioFrames.ulaw;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 19: what an unauthenticated or a hostile Twilio socket may cost, and Twilio sessions under the limits. */
@QuarkusTest
@TestProfile(TwilioLimitsTest.SmallTwilioLimits.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class TwilioLimitsTest {

    static final int PREAUTH_FRAME = 2048;
    static final int PER_IP = 2;

    public static class SmallTwilioLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.limits.twilio-start-timeout", "4s",
                    "voicecoach.limits.twilio-preauth-max-frame-bytes", String.valueOf(PREAUTH_FRAME),
                    "voicecoach.limits.unauthenticated-sockets-per-ip", String.valueOf(PER_IP),
                    "voicecoach.limits.sessions-per-tenant", "1",
                    "voicecoach.limits.appends-per-second", "1",
                    "voicecoach.limits.idle-timeout", "3s");
        }
    }

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Inject
    MeterRegistry meters;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void aStreamThatSendsNoStartIsClosedAtTheDeadline() {
        try (var silent = new TwilioClient(from("127.0.1.1"), endpoint(), sid())) {
            silent.connected();
            assertThat(silent.awaitCloseCode()).isEqualTo(4008);
            assertThat(silent.closeReason()).isEqualTo("start_timeout");
        }
    }

    @Test
    void aLargeFrameBeforeStartClosesTheSocket() {
        try (var hostile = new TwilioClient(from("127.0.1.2"), endpoint(), sid())) {
            hostile.sendRaw("{\"event\":\"connected\",\"padding\":\"" + "x".repeat(PREAUTH_FRAME) + "\"}");
            assertThat(hostile.awaitCloseCode()).isEqualTo(1009);
            assertThat(hostile.closeReason()).isEqualTo("frame_too_large");
        }
    }

    /** The transport refuses a fragmented message past max-frame-bytes (1 MiB): 1009 as well, not 1011. */
    @Test
    void aFragmentedMessageAboveTheTransportLimitClosesTheSocketWith1009() {
        try (var hostile = new TwilioClient(from("127.0.1.7"), endpoint(), sid())) {
            String part = "x".repeat(256 * 1024);
            hostile.sendFragmented("{\"event\":\"connected\",\"padding\":\"", part, part, part, part, part, "\"}");
            assertThat(hostile.awaitCloseCode()).isEqualTo(1009);
            assertThat(hostile.closeReason()).isEqualTo("frame_too_large");
        }
    }

    @Test
    void oneIpHoldsFewUnauthenticatedSocketsAndAuthenticatedOnesDoNotCount() {
        var tenant = new TestTenants(directory, apiKeys).create("twilio_ip");
        var ip = from("127.0.1.3");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var authenticated = new TwilioClient(ip, endpoint(), sid())) {
            authenticated.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            awaitStarted(sessions, authenticated.callSid);
            try (var first = new TwilioClient(ip, endpoint(), sid());
                 var second = new TwilioClient(ip, endpoint(), sid());
                 var third = new TwilioClient(ip, endpoint(), sid());
                 var otherIp = new TwilioClient(from("127.0.1.4"), endpoint(), sid())) {
                // one of the three (whichever the gateway opened last: their opens may run on different event
                // loops) is refused at once; the others wait for their start until the deadline, the other IP's too
                var sameIp = List.of(first, second, third);
                assertThat(sameIp.stream().map(TwilioClient::awaitCloseCode))
                        .containsExactlyInAnyOrder(4029, 4008, 4008);
                assertThat(sameIp.stream().filter(c -> c.awaitCloseCode() == 4029).map(TwilioClient::closeReason))
                        .containsExactly("connection_limit_reached");
                assertThat(otherIp.awaitCloseCode()).isEqualTo(4008);
            }
        }
    }

    /** Forwarding is off by default: an X-Forwarded-For from anyone leaves the key the socket's peer address. */
    @Test
    void aForgedForwardedHeaderDoesNotChangeTheKeyByDefault() {
        var ip = from("127.0.1.8");
        try (var first = new TwilioClient(ip, endpoint(), sid(), Map.of("X-Forwarded-For", "203.0.113.1"));
             var second = new TwilioClient(ip, endpoint(), sid(), Map.of("X-Forwarded-For", "203.0.113.2"));
             var third = new TwilioClient(ip, endpoint(), sid(), Map.of("X-Forwarded-For", "203.0.113.3"))) {
            // all three count as 127.0.1.8: one of them (whichever the gateway opened last) is refused
            assertThat(ForwardedClientAddressTest.closeCodes(first, second, third))
                    .containsExactlyInAnyOrder(4029, 4008, 4008);
        }
    }

    @Test
    void aTwilioStreamCountsAgainstTheTenantsSessionLimit() {
        var tenant = new TestTenants(directory, apiKeys).create("twilio_quota");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var first = new TwilioClient(from("127.0.1.5"), endpoint(), sid());
             var second = new TwilioClient(from("127.0.1.5"), endpoint(), sid())) {
            first.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            awaitStarted(sessions, first.callSid);
            second.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            assertThat(second.awaitCloseCode()).isEqualTo(4029);
            assertThat(second.closeReason()).isEqualTo("session_limit_reached");
            assertThat(first.closedByServer()).isFalse();
        }
    }

    @Test
    void anIdleTwilioStreamIsClosedAndItsSessionEnds() {
        var tenant = new TestTenants(directory, apiKeys).create("twilio_idle");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var idle = new TwilioClient(from("127.0.1.6"), endpoint(), sid())) {
            idle.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            String sessionId = awaitStarted(sessions, idle.callSid);
            assertThat(idle.awaitCloseCode()).isEqualTo(4001);
            var ended = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT);
            assertThat(ended.envelope().payloadAs(SessionEnded.class).reason()).isEqualTo("idle_timeout");
        }
    }

    @Test
    void mediaBeyondTheAppendRateIsDropped() {
        var tenant = new TestTenants(directory, apiKeys).create("twilio_rate");
        var ignored = meters.counter("voicecoach.gateway.twilio.frames.ignored");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var call = new TwilioClient(from("127.0.1.7"), endpoint(), sid())) {
            call.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            String sessionId = awaitStarted(sessions, call.callSid);
            double ignoredBefore = ignored.count();
            // 2 s of audio at once; the budget is 1 frame a second (burst 1) on the one track
            var burst = frames(ulaw(tone(8000, 2000, 440, 0.3)), 160);
            long began = System.nanoTime();
            burst.forEach(frame -> call.media("inbound", frame));
            call.stop();
            // frames are handled in order: once the session ended, every media frame was admitted or dropped
            sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT);
            double seconds = (System.nanoTime() - began) / 1e9;
            double admitted = burst.size() - (ignored.count() - ignoredBefore);
            assertThat(admitted).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(1 + Math.ceil(seconds));
        }
    }

    static String awaitStarted(KafkaTestClient.TopicReader sessions, String callSid) {
        return sessions.awaitOne(r -> r.envelope() != null && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                && callSid.equals(r.envelope().payloadAs(SessionStarted.class).callId()), WAIT).key();
    }

    /** The gateway's address as an IP, so a client bound to another loopback address reaches it. */
    private URI endpoint() {
        return URI.create(websocket(twilio).toString().replace("//localhost:", "//127.0.0.1:"));
    }

    /** A client whose sockets come from {@code address} (any 127/8 address is this machine). */
    private static HttpClient from(String address) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String sid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }
}
