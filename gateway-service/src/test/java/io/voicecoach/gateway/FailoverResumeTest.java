package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.Cursor;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.SessionSnapshot;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.battleCard;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.websocket;
import static io.voicecoach.gateway.TestEvents.withoutCard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resuming a session this instance never held: instance {@code gw-dead} left its snapshot on {@code gateway.sessions}
 * and died; the session's suggestions, battle cards, transcripts and agent replies are on Kafka. The client comes back
 * here with the cursor of the last frame it processed and gets exactly what it missed, in order, once, then live.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class FailoverResumeTest {

    private static final String SUGGESTION = "voicecoach.coaching.suggestion";
    private static final String BATTLE_CARD = "voicecoach.coaching.battle_card";
    private static final String DELTA = "conversation.item.input_audio_transcription.delta";
    private static final String COMPLETED = "conversation.item.input_audio_transcription.completed";
    private static final List<String> REPLAYABLE = List.of(SUGGESTION, BATTLE_CARD, DELTA, COMPLETED,
            "response.created", "response.output_text.delta", "response.done");

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    SessionStore store;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    private final StateRecords records = new StateRecords();
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        records.close();
        kafka.close();
    }

    @Test
    void aSessionOfADeadInstanceResumesHereWithExactlyWhatItMissedThenLive() {
        String sessionId = "sess_" + UUID.randomUUID();
        publishSnapshotOfDeadInstance(sessionId);
        String item = "item_" + UUID.randomUUID();

        // what the client had processed before gw-dead died
        var seen = suggestion(DEMO_TENANT, sessionId, "sug_seen_" + UUID.randomUUID());
        var seenAt = records.send(Topics.SUGGESTIONS, withoutCard(seen));
        var partialAt = records.send(Topics.TRANSCRIPTS, transcript(sessionId, item, "we went", false));
        var createdAt = records.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_RESPONSE_CREATED,
                new AgentResponseCreated("resp_1")));
        String cursor = cursor(seenAt, partialAt, createdAt);

        // what it missed
        records.send(Topics.SUGGESTIONS, battleCard(DEMO_TENANT, sessionId, seen));
        var missed = suggestion(DEMO_TENANT, sessionId, "sug_missed_" + UUID.randomUUID());
        records.send(Topics.SUGGESTIONS, missed);
        records.send(Topics.SUGGESTIONS, missed); // a redelivered copy
        records.send(Topics.TRANSCRIPTS, transcript(sessionId, item, "we went with", false));
        records.send(Topics.TRANSCRIPTS, transcript(sessionId, item, "we went with the other dealer", true));
        records.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_TEXT_DELTA,
                new AgentTextDelta("resp_1", "item_reply", "Sure.")));
        records.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_RESPONSE_DONE,
                new AgentResponseDone("resp_1", "completed", "Sure.")));

        try (var sessions = kafka.read(Topics.SESSIONS);
             var resumed = RealtimeClient.connect(resumeUri(sessionId, cursor), DEMO_KEY)) {
            var created = resumed.awaitType("session.created").path("session");
            assertThat(created.path("id").asText()).isEqualTo(sessionId);
            assertThat(created.path("instructions").asText()).isEqualTo("Be brief.");
            assertThat(created.path("audio").path("input").path("format").path("rate").asInt()).isEqualTo(16000);
            assertThat(created.path("audio").path("input").path("transcription").path("model").asText())
                    .isEqualTo("whisper-1");
            assertThat(created.path("voicecoach").path("rep_id").asText()).isEqualTo("rep_dead");

            resumed.awaitType("response.done");
            resumed.awaitType(COMPLETED);
            String live = "sug_live_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, live));
            resumed.awaitFrame(f -> live.equals(f.path("suggestion").path("id").asText()));

            String missedId = missed.payloadAs(Suggestion.class).suggestionId();
            assertThat(resumed.ofType(SUGGESTION)).extracting(f -> f.path("suggestion").path("id").asText())
                    .containsExactly(missedId, live);
            assertThat(resumed.ofType(BATTLE_CARD)).extracting(f -> f.path("suggestion_id").asText())
                    .containsExactly(seen.payloadAs(Suggestion.class).suggestionId());
            assertThat(typesOf(resumed, SUGGESTION, BATTLE_CARD)).containsExactly(BATTLE_CARD, SUGGESTION, SUGGESTION);
            assertThat(resumed.ofType(DELTA)).extracting(f -> f.path("delta").asText()).containsExactly(" with");
            assertThat(resumed.ofType(COMPLETED)).extracting(f -> f.path("transcript").asText())
                    .containsExactly("we went with the other dealer");
            assertThat(typesOf(resumed, DELTA, COMPLETED)).containsExactly(DELTA, COMPLETED);
            assertThat(resumed.ofType("response.created")).isEmpty();
            assertThat(resumed.ofType("response.output_text.delta")).extracting(f -> f.path("delta").asText())
                    .containsExactly("Sure.");
            assertThat(resumed.ofType("response.done")).hasSize(1);

            var ids = resumed.frames().stream().filter(f -> REPLAYABLE.contains(f.path("type").asText()))
                    .map(f -> f.path("event_id").asText()).toList();
            assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(Cursor.parse(id)).isPresent());

            // this instance holds the session now, one epoch up, and recorded the replayed delivery once
            await().atMost(WAIT).until(() -> store.find(sessionId).map(s -> "local".equals(s.holder())
                    && s.epoch() == 1 && s.detachedAt() == null).orElse(false));
            var receipts = sessions.await(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION_DELIVERED.equals(r.envelope().type()), 2, WAIT);
            assertThat(receipts).extracting(r -> r.envelope().payloadAs(SuggestionDelivered.class).suggestionId())
                    .containsExactly(missedId, live);
            assertThat(receipts.getFirst().envelope().eventId()).isEqualTo(SessionPublisher.derivedId(
                    sessionId + "/" + missedId + "/delivered/" + sessionId));

            // a second drop: resuming from the last frame gets nothing again, only what comes after
            String last = ids.getLast();
            resumed.abort();
            try (var again = RealtimeClient.connect(resumeUri(sessionId, last), DEMO_KEY)) {
                String after = "sug_after_" + UUID.randomUUID();
                kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, after));
                again.awaitFrame(f -> after.equals(f.path("suggestion").path("id").asText()));
                assertThat(again.frames()).filteredOn(f -> REPLAYABLE.contains(f.path("type").asText()))
                        .extracting(f -> f.path("suggestion").path("id").asText()).containsExactly(after);
            }
        }
    }

    @Test
    void withoutACursorTheWholeSessionIsReplayed() {
        String sessionId = "sess_" + UUID.randomUUID();
        publishSnapshotOfDeadInstance(sessionId);
        var first = "sug_first_" + UUID.randomUUID();
        var second = "sug_second_" + UUID.randomUUID();
        records.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, first));
        records.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, second));

        try (var resumed = RealtimeClient.connect(resumeUri(sessionId, "evt_not_a_cursor"), DEMO_KEY)) {
            resumed.awaitFrame(f -> second.equals(f.path("suggestion").path("id").asText()));
            assertThat(resumed.ofType(SUGGESTION)).extracting(f -> f.path("suggestion").path("id").asText())
                    .containsExactly(first, second);
        }
    }

    @Test
    void anotherTenantATwilioStreamOrAnUnknownSessionIsNotFound() {
        var other = new TestTenants(directory, apiKeys).create("intruder");
        String sessionId = "sess_" + UUID.randomUUID();
        publishSnapshotOfDeadInstance(sessionId);
        var twilio = StateRecords.snapshot(DEMO_TENANT, "sess_" + UUID.randomUUID(), "gw-dead", Instant.now());
        var stream = new SessionSnapshot(twilio.sessionId(), DEMO_TENANT, SessionSnapshot.TWILIO, twilio.openedAt(),
                twilio.updatedAt(), "gw-dead", 0, null, new SessionSettings(twilio.configured().voicecoach(), null,
                null, null, null, List.of()), true, null, null, 1, null, null);
        records.snapshot(stream);
        await().atMost(WAIT).until(() -> store.find(stream.sessionId()).isPresent());

        assertThat(RealtimeClient.refusal(resumeUri(sessionId, null), other.key())).isEqualTo(404);
        assertThat(RealtimeClient.refusal(resumeUri(stream.sessionId(), null), DEMO_KEY)).isEqualTo(404);
        assertThat(RealtimeClient.refusal(resumeUri("sess_" + UUID.randomUUID(), null), DEMO_KEY)).isEqualTo(404);
        assertThat(store.find(sessionId).orElseThrow().holder()).isEqualTo("gw-dead");
    }

    private void publishSnapshotOfDeadInstance(String sessionId) {
        records.snapshot(StateRecords.snapshot(DEMO_TENANT, sessionId, "gw-dead", Instant.now().minusSeconds(5)));
        await().atMost(WAIT).until(() -> store.find(sessionId).isPresent());
    }

    /** The event id of the last frame a client got from these three records: their partitions' offsets. */
    private static String cursor(RecordMetadata suggestions, RecordMetadata transcripts, RecordMetadata replies) {
        var positions = new HashMap<String, Long>();
        positions.put(Cursor.partitionKey(FeedTopic.SUGGESTIONS, suggestions.partition()), suggestions.offset());
        positions.put(Cursor.partitionKey(FeedTopic.TRANSCRIPTS, transcripts.partition()), transcripts.offset());
        positions.put(Cursor.partitionKey(FeedTopic.REPLIES, replies.partition()), replies.offset());
        long newest = Math.max(suggestions.timestamp(), Math.max(transcripts.timestamp(), replies.timestamp()));
        return new Cursor(newest, positions).encode();
    }

    private static List<String> typesOf(RealtimeClient client, String... types) {
        var wanted = List.of(types);
        return client.frames().stream().map(f -> f.path("type").asText()).filter(wanted::contains).toList();
    }

    private URI resumeUri(String sessionId, String lastEventId) {
        return URI.create(websocket(realtime) + "?session_id=" + sessionId
                + (lastEventId == null ? "" : "&last_event_id=" + lastEventId));
    }

    private static Envelope transcript(String sessionId, String itemId, String text, boolean isFinal) {
        return Envelope.of(isFinal ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL, DEMO_TENANT,
                sessionId, 1, "transcription-service", new Transcript(itemId, "customer", text, isFinal, 0, 900, 0.9,
                        "whisper", Instant.now()));
    }

    private static Envelope reply(String sessionId, String type, Object payload) {
        return Envelope.of(type, DEMO_TENANT, sessionId, 1, "coaching-service", payload);
    }
}
