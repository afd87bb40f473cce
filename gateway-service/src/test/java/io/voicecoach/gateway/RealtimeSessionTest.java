package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class RealtimeSessionTest {

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void sessionUpdateMergesTheSessionAndStartsIt() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();

            client.send(Map.of("event_id", "evt_client_1", "type", "session.update", "session", Map.of(
                    "instructions", "Coach the rep on objections.",
                    "voicecoach", Map.of("call_id", "call_42", "rep_id", "rep_7", "mode", "coach",
                            "metadata", Map.of("crm", "hubspot")))));

            var session = client.awaitType("session.updated").path("session");
            assertThat(session.path("id").asText()).isEqualTo(sessionId);
            assertThat(session.path("instructions").asText()).isEqualTo("Coach the rep on objections.");
            assertThat(session.path("voicecoach").path("call_id").asText()).isEqualTo("call_42");
            assertThat(session.path("voicecoach").path("rep_id").asText()).isEqualTo("rep_7");
            assertThat(session.path("voicecoach").path("mode").asText()).isEqualTo("coach");

            var record = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type()), WAIT);
            assertThat(record.envelope().tenantId()).isEqualTo(DEMO_TENANT);
            assertThat(record.envelope().producer()).isEqualTo("gateway-service");
            var started = record.envelope().payloadAs(SessionStarted.class);
            assertThat(started).isEqualTo(new SessionStarted("coach", "call_42", "rep_7", List.of("agent", "customer"),
                    "en-US", "audio/pcm;rate=24000", Map.of("crm", "hubspot")));

            // a second update may change other fields, not the identity the pipeline keys on
            client.send(Map.of("event_id", "evt_client_2", "type", "session.update",
                    "session", Map.of("voicecoach", Map.of("call_id", "another_call"))));
            var error = client.awaitType("error").path("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_event");
            assertThat(error.path("event_id").asText()).isEqualTo("evt_client_2");
        }
    }

    @Test
    void aCustomerLegDeclaresTheOneTrackItCarriesAndKeepsIt() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var transcripts = kafka.read(Topics.TRANSCRIPTS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();

            client.send(Map.of("event_id", "evt_twice", "type", "session.update",
                    "session", Map.of("voicecoach", Map.of("tracks", List.of("customer", "customer")))));
            var twice = client.awaitNth("error", 1);
            assertError(twice, "invalid_event", "evt_twice");
            assertThat(twice.path("error").path("param").asText()).isEqualTo("session.voicecoach.tracks[1]");

            client.send(Map.of("event_id", "evt_leg", "type", "session.update",
                    "session", Map.of("voicecoach", Map.of("role", "customer", "tracks", List.of("customer")))));
            var updated = client.awaitType("session.updated").path("session").path("voicecoach");
            assertThat(updated.path("tracks")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                    .containsExactly("customer");
            var started = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type()), WAIT);
            assertThat(started.envelope().payloadAs(SessionStarted.class).tracks()).containsExactly("customer");

            client.send(textItem("evt_rep_said", null, "I am not in this leg.", "agent"));
            var typed = client.awaitNth("error", 2);
            assertError(typed, "track_not_carried", "evt_rep_said");
            assertThat(typed.path("error").path("param").asText()).isEqualTo("voicecoach.track");
            client.send(Map.of("event_id", "evt_rep_audio", "type", "input_audio_buffer.append", "audio", "AAAA",
                    "voicecoach", Map.of("track", "agent")));
            var appended = client.awaitNth("error", 3);
            assertError(appended, "track_not_carried", "evt_rep_audio");
            assertThat(appended.path("error").path("param").asText()).isEqualTo("voicecoach.track");

            client.send(Map.of("event_id", "evt_both", "type", "session.update",
                    "session", Map.of("voicecoach", Map.of("tracks", List.of("agent", "customer")))));
            var changed = client.awaitNth("error", 4);
            assertError(changed, "invalid_event", "evt_both");
            assertThat(changed.path("error").path("param").asText()).isEqualTo("session.voicecoach.tracks");

            client.send(Map.of("event_id", "evt_same", "type", "session.update", "session", Map.of(
                    "instructions", "still the customer", "voicecoach", Map.of("tracks", List.of("customer")))));
            await().atMost(WAIT).until(() -> client.ofType("session.updated").size() >= 2);
            assertThat(client.ofType("session.updated").get(1).path("session").path("voicecoach").path("tracks"))
                    .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("customer");

            client.send(textItem("evt_customer_said", "item_leg", "Is there a discount?", null));
            var transcript = transcripts.awaitOne(r -> sessionId.equals(r.key()), WAIT).envelope()
                    .payloadAs(Transcript.class);
            assertThat(transcript.utteranceId()).isEqualTo("item_leg");
            assertThat(transcript.track()).isEqualTo("customer");
            assertThat(transcripts.all().stream().filter(r -> sessionId.equals(r.key())).count()).isEqualTo(1);
            assertThat(client.ofType("error")).hasSize(4);
        }
    }

    @Test
    void typedTextBecomesAFinalTranscriptAfterSessionStarted() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var transcripts = kafka.read(Topics.TRANSCRIPTS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            Instant sent = Instant.now();

            client.send(textItem("evt_item_1", "item_price", "Honestly the price is too high for us this quarter.",
                    "customer"));
            client.send(textItem("evt_item_2", null, "I understand.", "agent"));

            var created = client.awaitType("conversation.item.created");
            assertThat(created.path("item").path("id").asText()).isEqualTo("item_price");
            assertThat(created.path("item").path("status").asText()).isEqualTo("completed");
            assertThat(created.path("item").path("role").asText()).isEqualTo("user");
            assertThat(created.path("item").path("content").get(0).path("text").asText())
                    .isEqualTo("Honestly the price is too high for us this quarter.");
            String generatedId = client.awaitNth("conversation.item.created", 2).path("item").path("id").asText();
            assertThat(generatedId).startsWith("item_");

            var records = transcripts.await(r -> sessionId.equals(r.key()), 2, WAIT);
            var customer = records.getFirst().envelope();
            assertThat(customer.type()).isEqualTo(EventTypes.TRANSCRIPT_FINAL);
            assertThat(customer.tenantId()).isEqualTo(DEMO_TENANT);
            var transcript = customer.payloadAs(Transcript.class);
            assertThat(transcript.utteranceId()).isEqualTo("item_price");
            assertThat(transcript.track()).isEqualTo("customer");
            assertThat(transcript.text()).isEqualTo("Honestly the price is too high for us this quarter.");
            assertThat(transcript.isFinal()).isTrue();
            assertThat(transcript.engine()).isEqualTo("text");
            assertThat(transcript.confidence()).isEqualTo(1.0);
            assertThat(transcript.receivedAt()).isBetween(sent, customer.occurredAt());
            assertThat(transcript.endMs()).isEqualTo(transcript.startMs()).isNotNegative();
            var agent = records.get(1).envelope().payloadAs(Transcript.class);
            assertThat(agent.track()).isEqualTo("agent");
            assertThat(agent.utteranceId()).isEqualTo(generatedId);

            var started = sessions.awaitOne(r -> sessionId.equals(r.key()), WAIT).envelope();
            assertThat(started.type()).isEqualTo(EventTypes.SESSION_STARTED);
            assertThat(started.payloadAs(SessionStarted.class).callId()).isEqualTo(sessionId);
            assertThat(started.seq()).isLessThan(customer.seq());
            assertThat(started.occurredAt()).isBeforeOrEqualTo(customer.occurredAt());
            assertThat(sessions.all().stream().filter(r -> sessionId.equals(r.key())).count()).isEqualTo(1);
        }
    }

    @Test
    void closingAStartedSessionPublishesSessionEnded() {
        try (var sessions = kafka.read(Topics.SESSIONS)) {
            String sessionId;
            try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
                sessionId = client.sessionId();
                client.send(textItem("evt_1", null, "Hi, this is Sam from Acme.", "agent"));
                client.awaitType("conversation.item.created");
            }
            var ended = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT).envelope();
            assertThat(ended.tenantId()).isEqualTo(DEMO_TENANT);
            assertThat(ended.payloadAs(SessionEnded.class).reason()).isEqualTo("client_closed");
            assertThat(ended.payloadAs(SessionEnded.class).durationMs()).isNotNegative();
        }
    }

    @Test
    void badFramesGetErrorEventsAndTheConnectionKeepsWorking() {
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();

            client.send("{\"type\": \"session.update\", ");
            assertError(client.awaitNth("error", 1), "invalid_json", null);

            client.send(Map.of("event_id", "evt_bad_2", "type", "conversation.teleport"));
            assertError(client.awaitNth("error", 2), "unknown_event_type", "evt_bad_2");

            client.send(Map.of("event_id", "evt_bad_3", "type", "conversation.item.create", "item", Map.of(
                    "type", "message", "role", "user", "content", List.of(Map.of("type", "input_text")))));
            var missingText = client.awaitNth("error", 3);
            assertError(missingText, "invalid_event", "evt_bad_3");
            assertThat(missingText.path("error").path("param").asText()).isEqualTo("item.content[0].text");

            client.send(textItem("evt_bad_4", null, "Hello", "robot"));
            assertError(client.awaitNth("error", 4), "invalid_track", "evt_bad_4");

            // an oversized frame closes the connection (1009): LimitsTest

            // served since audio out: nothing plays, so nothing is cut
            client.send(Map.of("event_id", "evt_clear", "type", "output_audio_buffer.clear"));
            assertThat(client.awaitType("output_audio_buffer.cleared").path("response_id").isNull()).isTrue();

            client.send("[1, 2, 3]");
            assertError(client.awaitNth("error", 5), "invalid_event", null);

            client.send(textItem("evt_ok", "item_after_errors", "Still here?", null));
            var created = client.awaitType("conversation.item.created");
            assertThat(created.path("item").path("id").asText()).isEqualTo("item_after_errors");
            assertThat(client.isClosed()).isFalse();

            var transcript = transcripts.awaitOne(r -> sessionId.equals(r.key()), WAIT).envelope()
                    .payloadAs(Transcript.class);
            assertThat(transcript.track()).isEqualTo("customer");
            assertThat(transcripts.all().stream().filter(r -> sessionId.equals(r.key())).count()).isEqualTo(1);
        }
    }

    @Test
    void speechToTextTranscriptsAreEchoedToTheirOwnSessionOnly() {
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var now = Instant.now();
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_PARTIAL, "globex", sessionId, 1,
                    "transcription-service", new Transcript("item_x", "customer", "not yours", false, 0, 100, 0.5,
                            "sphinx", now)));
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_PARTIAL, DEMO_TENANT, sessionId, 2,
                    "transcription-service", new Transcript("item_1", "customer", "the price", false, 0, 600, 0.5,
                            "sphinx", now)));
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_PARTIAL, DEMO_TENANT, sessionId, 3,
                    "transcription-service", new Transcript("item_1", "customer", "the price is too", false, 0, 900,
                            0.5, "sphinx", now)));
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, DEMO_TENANT, sessionId, 4,
                    "transcription-service", new Transcript("item_1", "customer", "the price is too high", true, 0,
                            1200, 0.8, "sphinx", now)));

            var completed = client.awaitType("conversation.item.input_audio_transcription.completed");
            assertThat(completed.path("item_id").asText()).isEqualTo("item_1");
            assertThat(completed.path("content_index").asInt()).isZero();
            assertThat(completed.path("transcript").asText()).isEqualTo("the price is too high");
            var deltas = client.ofType("conversation.item.input_audio_transcription.delta");
            assertThat(deltas).extracting(d -> d.path("delta").asText()).containsExactly("the price", " is too");
            assertThat(deltas).allSatisfy(d -> assertThat(d.path("item_id").asText()).isEqualTo("item_1"));
            assertThat(client.frames()).noneMatch(frame -> frame.toString().contains("not yours"));
        }
    }

    private static void assertError(com.fasterxml.jackson.databind.JsonNode event, String code, String clientEventId) {
        assertThat(event.path("type").asText()).isEqualTo("error");
        assertThat(event.path("event_id").asText()).startsWith("evt_");
        var error = event.path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        if (clientEventId == null) {
            assertThat(error.path("event_id").isNull()).isTrue();
        } else {
            assertThat(error.path("event_id").asText()).isEqualTo(clientEventId);
        }
    }

}
