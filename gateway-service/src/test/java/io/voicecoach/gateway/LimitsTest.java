package io.voicecoach.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class LimitsTest {

    static final int MAX_FRAME = 65_536;
    static final int MAX_AUDIO = 9_600;
    static final int APPENDS_PER_SECOND = 10;
    static final int PENDING_BYTES = 65_536;
    static final int MAX_ITEM_TEXT = 100;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.limits.max-frame-bytes", String.valueOf(MAX_FRAME),
                    "voicecoach.limits.max-audio-bytes-per-append", String.valueOf(MAX_AUDIO),
                    "voicecoach.limits.appends-per-second", String.valueOf(APPENDS_PER_SECOND),
                    "voicecoach.limits.sessions-per-tenant", "2",
                    "voicecoach.limits.max-pending-outbound-bytes", String.valueOf(PENDING_BYTES),
                    // one item a minute per session, one response a minute per tenant: no refill within a test
                    "voicecoach.limits.items-per-minute", "1",
                    "voicecoach.limits.tenant-responses-per-minute", "1",
                    "voicecoach.limits.max-item-text-chars", String.valueOf(MAX_ITEM_TEXT));
        }
    }

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void oversizedAudioChunksAreRefusedAndTheSessionGoesOn() {
        var tenant = new TestTenants(directory, apiKeys).create("frames");
        try (var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            manualCommit(client, 16000);
            var tooMuch = append(new byte[MAX_AUDIO + 2], "evt_big");
            client.send(tooMuch);
            assertError(client.awaitNth("error", 1), "audio_chunk_too_large", "audio", "evt_big");

            client.send(append(AudioFrames.pcm16(AudioFrames.tone(16000, 100, 440, 0.3)), "evt_ok"));
            client.send(Map.of("type", "input_audio_buffer.commit"));
            client.awaitType("input_audio_buffer.committed");
            assertThat(client.ofType("error")).hasSize(1);
        }
    }

    @Test
    void itemsBeyondTheSessionsBudgetAreRefusedAndReported() {
        var tenant = new TestTenants(directory, apiKeys).create("items");
        try (var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            var greeting = client.awaitType("rate_limits.updated");
            assertThat(greeting.path("voicecoach").path("items").path("limit").asInt()).isEqualTo(1);
            assertThat(greeting.path("voicecoach").path("items").path("remaining").asInt()).isEqualTo(1);
            assertThat(greeting.path("voicecoach").path("responses").path("tenant").path("limit").asInt())
                    .isEqualTo(1);

            client.send(textItem("evt_item_1", null, "First.", "agent"));
            client.awaitType("conversation.item.created");
            client.send(textItem("evt_item_2", null, "Second.", "agent"));
            assertError(client.awaitNth("error", 1), "rate_limit_exceeded", null, "evt_item_2");
            var limits = client.awaitNth("rate_limits.updated", 2);
            assertThat(limits.path("voicecoach").path("items").path("remaining").asInt()).isZero();
            assertThat(limits.path("voicecoach").path("items").path("reset_seconds").asDouble()).isPositive();
            assertThat(client.ofType("conversation.item.created")).hasSize(1);
        }
    }

    @Test
    void anItemWithTooMuchTextIsRefused() {
        var tenant = new TestTenants(directory, apiKeys).create("item_text");
        try (var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            client.sessionId();
            client.send(textItem("evt_long", null, "y".repeat(MAX_ITEM_TEXT + 1), "agent"));
            assertError(client.awaitNth("error", 1), "item_text_too_large", "item.content", "evt_long");
            assertThat(client.ofType("conversation.item.created")).isEmpty();
        }
    }

    @Test
    void responsesBeyondTheTenantsBudgetAreRefusedInEverySessionOfTheTenant() {
        var tenant = new TestTenants(directory, apiKeys).create("responses");
        var other = new TestTenants(directory, apiKeys).create("responses_other");
        try (var first = RealtimeClient.connect(websocket(realtime), tenant.key());
             var second = RealtimeClient.connect(websocket(realtime), tenant.key());
             var otherTenant = RealtimeClient.connect(websocket(realtime), other.key())) {
            first.sessionId();
            second.sessionId();
            otherTenant.sessionId();
            first.send(Map.of("event_id", "evt_resp_1", "type", "response.create"));
            first.awaitType("response.done");
            first.send(Map.of("event_id", "evt_resp_2", "type", "response.create"));
            assertError(first.awaitNth("error", 1), "tenant_rate_limit_exceeded", null, "evt_resp_2");
            second.send(Map.of("event_id", "evt_resp_3", "type", "response.create"));
            assertError(second.awaitNth("error", 1), "tenant_rate_limit_exceeded", null, "evt_resp_3");
            var limits = second.awaitNth("rate_limits.updated", 2);
            assertThat(limits.path("voicecoach").path("responses").path("tenant").path("remaining").asInt())
                    .isZero();
            // another tenant's budget is its own
            otherTenant.send(Map.of("event_id", "evt_resp_4", "type", "response.create"));
            otherTenant.awaitType("response.done");
            assertThat(otherTenant.ofType("error")).isEmpty();
            assertThat(first.ofType("response.created")).hasSize(1);
            assertThat(second.ofType("response.created")).isEmpty();
        }
    }

    /** The transport refuses a frame from its header, before its payload is buffered (issue 19). */
    @Test
    void aFrameAboveTheLimitClosesTheConnectionBeforeItIsBuffered() {
        var tenant = new TestTenants(directory, apiKeys).create("frames");
        try (var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            client.sessionId();
            client.send("{\"type\":\"session.update\",\"session\":{\"instructions\":\"" + "x".repeat(MAX_FRAME)
                    + "\"}}");
            assertThat(client.awaitCloseCode()).isEqualTo(1009);
            assertThat(client.ofType("session.updated")).isEmpty();
        }
    }

    /** Small frames adding up to a message above the limit: the message is dropped as it grows past it. */
    @Test
    void aFragmentedMessageAboveTheLimitClosesTheConnection() {
        var tenant = new TestTenants(directory, apiKeys).create("frames");
        try (var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            client.sessionId();
            String part = "x".repeat(MAX_FRAME / 4);
            client.sendFragmented("{\"type\":\"session.update\",\"session\":{\"instructions\":\"", part, part,
                    part, part, part, "\"}}");
            assertThat(client.awaitCloseCode()).isEqualTo(1009);
            assertThat(client.ofType("session.updated")).isEmpty();
        }
    }

    @Test
    void appendsBeyondTheRateAreDroppedAndReportedWhileTheSessionLives() {
        var tenant = new TestTenants(directory, apiKeys).create("rate");
        byte[] block = AudioFrames.pcm16(AudioFrames.tone(16000, 100, 440, 0.3));
        int sent = 4 * APPENDS_PER_SECOND;
        try (var audio = kafka.read(Topics.AUDIO);
             var client = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            String sessionId = client.sessionId();
            manualCommit(client, 16000);
            for (int i = 0; i < sent; i++) {
                client.send(append(block, "evt_append_" + i));
            }
            client.send(Map.of("type", "input_audio_buffer.commit"));
            client.awaitType("input_audio_buffer.committed");

            var refused = client.ofType("error");
            assertThat(refused).isNotEmpty().allSatisfy(e -> assertError(e, "rate_limit_exceeded", null,
                    e.path("error").path("event_id").asText()));
            assertThat(refused).extracting(e -> e.path("error").path("event_id").asText())
                    .allMatch(id -> id.startsWith("evt_append_")).doesNotHaveDuplicates();
            int accepted = sent - refused.size();
            assertThat(accepted).isBetween(APPENDS_PER_SECOND, sent - 1);
            // the limits came with session.created (full bucket) and again with the first refusal (empty bucket)
            var limits = client.ofType("rate_limits.updated");
            assertThat(limits.size()).isBetween(2, 1 + refused.size());
            assertThat(appendLimit(limits.getFirst()).path("limit").asInt()).isEqualTo(APPENDS_PER_SECOND);
            assertThat(appendLimit(limits.getFirst()).path("remaining").asInt()).isEqualTo(APPENDS_PER_SECOND);
            assertThat(appendLimit(limits.get(1)).path("remaining").asInt()).isZero();
            assertThat(appendLimit(limits.get(1)).path("reset_seconds").asDouble()).isPositive();
            assertThat(client.frames().indexOf(limits.get(1)))
                    .isEqualTo(client.frames().indexOf(refused.getFirst()) - 1);

            // exactly the accepted appends reached voice.audio (16 kHz input passes through untouched)
            await().atMost(WAIT).until(() -> AudioFrames.audioOf(audio, sessionId).stream()
                    .anyMatch(r -> "true".equals(r.headers().get("vc-commit"))));
            int bytes = AudioFrames.audioOf(audio, sessionId).stream().mapToInt(r -> r.value().length).sum();
            assertThat(bytes).isEqualTo(accepted * block.length);

            client.send(textItem("evt_text", null, "Still here?", "agent"));
            client.awaitType("conversation.item.created");
        }
    }

    private static JsonNode appendLimit(JsonNode rateLimits) {
        for (var limit : rateLimits.path("rate_limits")) {
            if ("requests".equals(limit.path("name").asText())) {
                return limit;
            }
        }
        throw new AssertionError("no append limit in " + rateLimits);
    }

    @Test
    void aTenantCannotHoldMoreSessionsThanItsLimit() {
        var tenants = new TestTenants(directory, apiKeys);
        var limited = tenants.create("busy");
        var other = tenants.create("calm");
        var first = RealtimeClient.connect(websocket(realtime), limited.key());
        try (var second = RealtimeClient.connect(websocket(realtime), limited.key())) {
            assertThat(RealtimeClient.refusal(websocket(realtime), limited.key())).isEqualTo(429);
            try (var unaffected = RealtimeClient.connect(websocket(realtime), other.key())) {
                assertThat(unaffected.sessionId()).startsWith("sess_");
            }
            first.close();
            await().atMost(WAIT).untilAsserted(() -> {
                try (var third = RealtimeClient.connect(websocket(realtime), limited.key())) {
                    assertThat(third.sessionId()).startsWith("sess_");
                }
            });
            second.send(textItem("evt_1", null, "Still working.", "agent"));
            second.awaitType("conversation.item.created");
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedAloneAndItsSessionEnds() {
        var tenant = new TestTenants(directory, apiKeys).create("slow");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var slow = RealtimeClient.connect(websocket(realtime), tenant.key());
             var healthy = RealtimeClient.connect(websocket(realtime), tenant.key())) {
            String slowId = slow.sessionId();
            String healthyId = healthy.sessionId();
            slow.send(textItem("evt_start", null, "Starting the call.", "agent"));
            slow.awaitType("conversation.item.created");
            slow.pauseReading();

            String text = "word ".repeat(20_000);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                for (int i = 0; i < 20; i++) {
                    kafka.send(Topics.TRANSCRIPTS, partial(tenant.id(), slowId, text));
                }
                return ended(sessions, slowId) != null;
            });
            assertThat(ended(sessions, slowId).payloadAs(SessionEnded.class).reason()).isEqualTo("slow_client");

            String marker = "sug_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(tenant.id(), healthyId, marker));
            healthy.awaitFrame(f -> marker.equals(f.path("suggestion").path("id").asText()));
            healthy.send(textItem("evt_2", null, "Another turn.", "agent"));
            healthy.awaitType("conversation.item.created");
            assertThat(healthy.isClosed()).isFalse();

            slow.resumeReading();
            await().atMost(WAIT).until(() -> slow.closeCode() == 4002);
        }
    }

    static Envelope ended(KafkaTestClient.TopicReader sessions, String sessionId) {
        return sessions.all().stream().map(KafkaTestClient.Received::envelope)
                .filter(e -> e != null && sessionId.equals(e.sessionId()) && EventTypes.SESSION_ENDED.equals(e.type()))
                .findFirst().orElse(null);
    }

    private static Envelope partial(String tenantId, String sessionId, String text) {
        var transcript = new Transcript("item_" + UUID.randomUUID(), "customer", text, false, 0, 100, 0.9, "whisper",
                Instant.now());
        return Envelope.of(EventTypes.TRANSCRIPT_PARTIAL, tenantId, sessionId, 1, "transcription-service", transcript);
    }

    /** PCM at {@code rate}, no turn detection: every appended sample goes to Kafka, the client commits. */
    static void manualCommit(RealtimeClient client, int rate) {
        var input = new LinkedHashMap<String, Object>();
        input.put("format", Map.of("type", "audio/pcm", "rate", rate));
        input.put("turn_detection", null);
        client.send(Map.of("type", "session.update", "session", Map.of("audio", Map.of("input", input))));
        client.awaitType("session.updated");
    }

    static Map<String, Object> append(byte[] audio, String eventId) {
        return Map.of("type", "input_audio_buffer.append", "event_id", eventId,
                "audio", Base64.getEncoder().encodeToString(audio));
    }

    static void assertError(JsonNode frame, String code, String param, String clientEventId) {
        var error = frame.path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull() ? null : error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("event_id").isNull() ? null : error.path("event_id").asText()).isEqualTo(clientEventId);
    }
}
