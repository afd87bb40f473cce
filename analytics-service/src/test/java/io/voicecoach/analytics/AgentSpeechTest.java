package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentSpeechFailed;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.analytics.DemoCall.envelope;
import static io.voicecoach.analytics.SessionIngestTest.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The voice agent's speech per session (issue 15 item 7): talk time, characters and cost from {@code agent.speech},
 * once per event id, at the tenant's price for the engine, and never across tenants; a reply cut by barge-in
 * ({@code item.truncated} on voice.sessions) counts as far as the caller heard it, whichever topic delivers first.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class AgentSpeechTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BOOKED = "Your car is booked for Tuesday at nine.";
    private static final String BYE = "See you then.";

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void talkTimeCharactersAndCostAreCountedOnceAtTheTenantsEnginePrice() {
        String rep = "rep_tts_" + UUID.randomUUID();
        var call = DemoCall.of("demo", Instant.now().truncatedTo(ChronoUnit.MILLIS), rep);
        kafka.send(Topics.SESSIONS, call.started());
        // the audio chunks are not counted; each item's done is, once (a redelivered one has the same event id)
        kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDelta("resp_1", "item_1", 0, BOOKED, 24000, 0, 200,
                "AAAA")));
        var booked = speech(call, new AgentAudioDone("resp_1", "item_1", 12, BOOKED, 2400, "openai-compatible",
                "coral"));
        kafka.send(Topics.AGENT_SPEECH, booked);
        kafka.send(Topics.AGENT_SPEECH, booked);
        kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_2", "item_2", 6, BYE, 1200, "espeak-ng",
                "alloy")));
        kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentSpeechFailed("resp_3", "item_3", 0, "engine_timeout",
                "no answer", "openai-compatible")));
        // another tenant naming the session changes nothing (rejected to agent.speech.dlq)
        kafka.send(Topics.AGENT_SPEECH, envelope(EventTypes.AGENT_AUDIO_DONE, "other", call.session(), 1,
                Instant.now(), new AgentAudioDone("resp_9", "item_9", 1, "FOREIGN TEXT", 99_000, "openai-compatible",
                        "alloy")));
        // its own session is priced at its own rate
        var otherCall = DemoCall.of("other");
        kafka.send(Topics.SESSIONS, otherCall.started());
        kafka.send(Topics.AGENT_SPEECH, speech(otherCall, new AgentAudioDone("resp_1", "item_1", 12, BOOKED, 2400,
                "openai-compatible", "coral")));

        try (var dlq = kafka.read(Topics.deadLetter(Topics.AGENT_SPEECH))) {
            dlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
        }
        var s = awaitSession(DEMO_KEY, call.session(), j -> j.getInt("agentSpeech.items") == 2
                && j.getInt("agentSpeech.failures") == 1);
        assertThat(s.getLong("agentSpeech.talkMs")).isEqualTo(3600);
        assertThat(s.getDouble("agentSpeech.seconds")).isEqualTo(3.6);
        assertThat(s.getLong("agentSpeech.characters")).isEqualTo(BOOKED.length() + BYE.length());
        // openai-compatible at 0.015 USD per 1,000 characters (the test profile), espeak-ng free
        assertThat(s.getDouble("agentSpeech.costUsd")).isCloseTo(BOOKED.length() * 0.015 / 1000, within(1e-6));

        var other = awaitSession(OTHER_KEY, otherCall.session(), j -> j.getInt("agentSpeech.items") == 1);
        assertThat(other.getDouble("agentSpeech.costUsd")).as("tenant other's own price, 0.03")
                .isCloseTo(BOOKED.length() * 0.03 / 1000, within(1e-6));
        given().header("Authorization", "Bearer " + OTHER_KEY).get("/api/v1/sessions/{id}", call.session())
                .then().statusCode(404);

        var reps = get(DEMO_KEY, "/api/v1/aggregates/reps?rep=" + rep);
        assertThat(reps.getList("groups")).hasSize(1);
        assertThat(reps.getLong("groups[0].agentSpeechMs")).isEqualTo(3600);
        assertThat(reps.getLong("groups[0].ttsChars")).isEqualTo(BOOKED.length() + BYE.length());
        assertThat(reps.getDouble("groups[0].ttsCostUsd")).isCloseTo(BOOKED.length() * 0.015 / 1000, within(1e-6));
        assertThat(get(OTHER_KEY, "/api/v1/aggregates/reps?rep=" + rep).getList("groups")).isEmpty();
    }

    @Test
    void aSpeechEventWithoutItsItemIsParkedAndTheRestOfTheBatchCounts() {
        var call = DemoCall.of("demo");
        kafka.send(Topics.SESSIONS, call.started());
        try (var dlq = kafka.read(Topics.deadLetter(Topics.AGENT_SPEECH))) {
            kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_1", null, 1, BYE, 500, "espeak-ng",
                    "alloy")));
            kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_1", "item_1", 1, BYE, -5,
                    "espeak-ng", "alloy")));
            kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_2", "item_2", 1, BYE, 700,
                    "espeak-ng", "alloy")));
            var parked = dlq.await(r -> call.session().equals(r.key()), 2, WAIT);
            assertThat(parked).extracting(r -> r.headers().get("dead-letter-reason"))
                    .anySatisfy(reason -> assertThat(reason).contains("without itemId"))
                    .anySatisfy(reason -> assertThat(reason).contains("negative durationMs"));
        }
        var s = awaitSession(DEMO_KEY, call.session(), j -> j.getInt("agentSpeech.items") == 1);
        assertThat(s.getLong("agentSpeech.talkMs")).isEqualTo(700);
        assertThat(s.getDouble("agentSpeech.costUsd")).isZero();
    }

    @Test
    void aReplyCutByBargeInCountsAsHeardWhicheverOfItsTwoEventsArrivesFirst() {
        var call = DemoCall.of("demo");
        kafka.send(Topics.SESSIONS, call.started());
        kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_1", "item_1", 12, BOOKED, 2400,
                "espeak-ng", "alloy")));
        awaitSession(DEMO_KEY, call.session(), j -> j.getLong("agentSpeech.talkMs") == 2400);

        // item_2 is cut before its audio_done is read; item_1 after: both on voice.sessions, in this order
        kafka.send(Topics.SESSIONS, cut(call, "demo", "item_2", 500));
        var firstCut = cut(call, "demo", "item_1", 900);
        kafka.send(Topics.SESSIONS, firstCut);
        awaitSession(DEMO_KEY, call.session(), j -> j.getLong("agentSpeech.talkMs") == 900);

        kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_2", "item_2", 15, BYE, 3000,
                "espeak-ng", "alloy")));
        var s = awaitSession(DEMO_KEY, call.session(), j -> j.getInt("agentSpeech.items") == 2);
        assertThat(s.getLong("agentSpeech.talkMs")).as("900 of item_1 and 500 of item_2 heard").isEqualTo(1400);

        try (var dlq = kafka.read(Topics.deadLetter(Topics.SESSIONS))) {
            kafka.send(Topics.SESSIONS, firstCut); // redelivered: the same event id
            kafka.send(Topics.SESSIONS, cut(call, "demo", "item_1", 2000)); // a later cut cannot un-cut it
            kafka.send(Topics.SESSIONS, cut(call, "other", "item_2", 0)); // another tenant's: parked
            // item_2 synthesized again (a new event id): still one item, heard as cut
            kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_2", "item_2", 15, BYE, 3000,
                    "espeak-ng", "alloy")));
            kafka.send(Topics.SESSIONS, cut(call, "demo", "item_9", -1)); // malformed: parked
            dlq.await(r -> call.session().equals(r.key()), 2, WAIT);
        }
        // sync point: the cut of item_3, later on both topics than everything above, is applied after it
        kafka.send(Topics.AGENT_SPEECH, speech(call, new AgentAudioDone("resp_3", "item_3", 5, BYE, 1000,
                "espeak-ng", "alloy")));
        kafka.send(Topics.SESSIONS, cut(call, "demo", "item_3", 400));
        s = awaitSession(DEMO_KEY, call.session(), j -> j.getInt("agentSpeech.items") == 3
                && j.getLong("agentSpeech.talkMs") != 2400);
        assertThat(s.getLong("agentSpeech.talkMs")).isEqualTo(900 + 500 + 400);
        assertThat(s.getLong("agentSpeech.characters")).isEqualTo(BOOKED.length() + 2L * BYE.length());
    }

    private static Envelope cut(DemoCall call, String tenant, String itemId, long audioEndMs) {
        return envelope(EventTypes.ITEM_TRUNCATED, tenant, call.session(), 1, Instant.now(),
                new ItemTruncated(itemId, 0, audioEndMs, null));
    }

    private static Envelope speech(DemoCall call, Object payload) {
        String type = switch (payload) {
            case AgentAudioDelta delta -> EventTypes.AGENT_AUDIO_DELTA;
            case AgentAudioDone done -> EventTypes.AGENT_AUDIO_DONE;
            default -> EventTypes.AGENT_SPEECH_FAILED;
        };
        return envelope(type, call.tenant(), call.session(), 1, Instant.now(), payload);
    }

    private static JsonPath get(String key, String path) {
        return given().header("Authorization", "Bearer " + key).urlEncodingEnabled(false).get(path)
                .then().statusCode(200).extract().jsonPath();
    }
}
