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
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.battleCard;
import static io.voicecoach.gateway.TestEvents.citedSuggestion;
import static io.voicecoach.gateway.TestEvents.stageChanged;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.withoutCard;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(ResumeTest.ShortResumeWindow.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class ResumeTest {

    private static final String SUGGESTION = "voicecoach.coaching.suggestion";
    private static final String BATTLE_CARD = "voicecoach.coaching.battle_card";
    private static final String STAGE_CHANGED = "voicecoach.stage.changed";
    private static final String TRANSCRIBED = "conversation.item.input_audio_transcription.completed";

    public static class ShortResumeWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.session.resume-window", "4s", "voicecoach.limits.sweep-interval", "200ms");
        }
    }

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    SessionRegistry registry;

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
    void aResumedSessionGetsWhatItMissedOnceAndInOrder() {
        var first = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
        String sessionId = first.sessionId();
        String seen = "sug_seen_" + UUID.randomUUID();
        kafka.send(Topics.SUGGESTIONS, stageChanged(DEMO_TENANT, sessionId, "situation", null, 100));
        kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, seen));
        String lastEventId = suggestionFrame(first, seen).path("event_id").asText();
        assertThat(first.ofType(STAGE_CHANGED)).extracting(f -> f.path("stage").asText()).containsExactly("situation");
        first.abort();
        var session = registry.find(sessionId).orElseThrow();
        await().atMost(WAIT).until(() -> !session.client().isOpen());

        var missed = List.of("sug_a_" + UUID.randomUUID(), "sug_b_" + UUID.randomUUID(), "sug_c_" + UUID.randomUUID());
        var firstMissed = withoutCard(suggestion(DEMO_TENANT, sessionId, missed.getFirst()));
        kafka.send(Topics.SUGGESTIONS, firstMissed);
        kafka.send(Topics.SUGGESTIONS, citedSuggestion(DEMO_TENANT, sessionId, missed.get(1)));
        kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, missed.get(2)));
        kafka.send(Topics.SUGGESTIONS, battleCard(DEMO_TENANT, sessionId, suggestion(DEMO_TENANT, sessionId,
                missed.getFirst())));
        kafka.send(Topics.SUGGESTIONS, stageChanged(DEMO_TENANT, sessionId, "problem", "situation", 5000));
        String item = "item_" + UUID.randomUUID();
        kafka.send(Topics.TRANSCRIPTS, transcript(sessionId, item));
        // every missed record is on Kafka now (sends are acknowledged): the resume replays them from there

        try (var resumed = RealtimeClient.connect(resumeUri(sessionId, lastEventId), DEMO_KEY)) {
            assertThat(resumed.sessionId()).isEqualTo(sessionId);
            String live = "sug_live_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, live));
            suggestionFrame(resumed, live);
            resumed.awaitType(TRANSCRIBED);

            assertThat(resumed.ofType(SUGGESTION)).extracting(f -> f.path("suggestion").path("id").asText())
                    .containsExactly(missed.get(0), missed.get(1), missed.get(2), live);
            assertThat(resumed.ofType(BATTLE_CARD)).extracting(f -> f.path("suggestion_id").asText())
                    .containsExactly(missed.getFirst());
            assertThat(suggestionFrame(resumed, missed.get(1)).path("suggestion").path("citations"))
                    .extracting(c -> c.path("document_id").asText()).containsExactly("doc_pricing", "doc_onboarding");
            assertThat(resumed.frames()).extracting(f -> f.path("type").asText())
                    .filteredOn(t -> t.equals(SUGGESTION) || t.equals(BATTLE_CARD) || t.equals(STAGE_CHANGED))
                    .containsExactly(SUGGESTION, SUGGESTION, SUGGESTION, BATTLE_CARD, STAGE_CHANGED, SUGGESTION);
            assertThat(resumed.ofType(STAGE_CHANGED)).extracting(f -> f.path("stage").asText())
                    .containsExactly("problem");
            assertThat(resumed.ofType(TRANSCRIBED)).extracting(f -> f.path("item_id").asText()).containsExactly(item);
            assertThat(resumed.frames().getFirst().path("type").asText()).isEqualTo("session.created");
            resumed.send(textItem("evt_1", null, "Back again.", "agent"));
            resumed.awaitType("conversation.item.created");
        }
    }

    @Test
    void withoutALastEventIdTheEventsSinceTheDropAreReplayed() {
        var first = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
        String sessionId = first.sessionId();
        String seen = "sug_seen_" + UUID.randomUUID();
        kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, seen));
        suggestionFrame(first, seen);
        first.abort();
        var session = registry.find(sessionId).orElseThrow();
        await().atMost(WAIT).until(() -> !session.client().isOpen());
        String missed = "sug_missed_" + UUID.randomUUID();
        kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, missed));

        try (var resumed = RealtimeClient.connect(resumeUri(sessionId, null), DEMO_KEY)) {
            suggestionFrame(resumed, missed);
            String live = "sug_live_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, live));
            suggestionFrame(resumed, live);
            assertThat(resumed.ofType(SUGGESTION)).extracting(f -> f.path("suggestion").path("id").asText())
                    .containsExactly(missed, live);
        }
    }

    @Test
    void aSessionNotResumedWithinTheWindowEnds() {
        try (var sessions = kafka.read(Topics.SESSIONS)) {
            var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
            String sessionId = client.sessionId();
            client.send(textItem("evt_1", null, "Hello.", "customer"));
            client.awaitType("conversation.item.created");
            client.abort();

            await().atMost(WAIT).until(() -> LimitsTest.ended(sessions, sessionId) != null);
            assertThat(LimitsTest.ended(sessions, sessionId).payloadAs(SessionEnded.class).reason())
                    .isEqualTo("resume_expired");
            assertThat(RealtimeClient.refusal(resumeUri(sessionId, null), DEMO_KEY)).isEqualTo(404);
        }
    }

    @Test
    void anotherTenantCannotResumeTheSession() {
        var other = new TestTenants(directory, apiKeys).create("intruder");
        var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
        String sessionId = client.sessionId();
        client.abort();
        var session = registry.find(sessionId).orElseThrow();
        await().atMost(WAIT).until(() -> !session.client().isOpen());

        assertThat(RealtimeClient.refusal(resumeUri(sessionId, null), other.key())).isEqualTo(404);
        try (var resumed = RealtimeClient.connect(resumeUri(sessionId, null), DEMO_KEY)) {
            assertThat(resumed.sessionId()).isEqualTo(sessionId);
        }
    }

    @Test
    void aClosingClientEndsItsSessionAtOnce() {
        try (var sessions = kafka.read(Topics.SESSIONS)) {
            String sessionId;
            try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
                sessionId = client.sessionId();
                client.send(textItem("evt_1", null, "Bye.", "customer"));
                client.awaitType("conversation.item.created");
            }
            await().atMost(WAIT).until(() -> LimitsTest.ended(sessions, sessionId) != null);
            assertThat(LimitsTest.ended(sessions, sessionId).payloadAs(SessionEnded.class).reason())
                    .isEqualTo("client_closed");
            assertThat(RealtimeClient.refusal(resumeUri(sessionId, null), DEMO_KEY)).isEqualTo(404);
        }
    }

    private URI resumeUri(String sessionId, String lastEventId) {
        return URI.create(websocket(realtime) + "?session_id=" + sessionId
                + (lastEventId == null ? "" : "&last_event_id=" + lastEventId));
    }

    private static JsonNode suggestionFrame(RealtimeClient client, String suggestionId) {
        return client.awaitFrame(f -> suggestionId.equals(f.path("suggestion").path("id").asText()));
    }

    private static Envelope transcript(String sessionId, String itemId) {
        var transcript = new Transcript(itemId, "customer", "We went with the other dealer.", true, 0, 900, 0.9,
                "whisper", Instant.now());
        return Envelope.of(EventTypes.TRANSCRIPT_FINAL, DEMO_TENANT, sessionId, 1, "transcription-service", transcript);
    }
}
