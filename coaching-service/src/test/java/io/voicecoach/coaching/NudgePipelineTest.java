package io.voicecoach.coaching;

import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import jakarta.inject.Inject;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nudges, session events and the objection repeat cool-down through a real broker. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class NudgePipelineTest {

    private static final String TENANT = "demo";
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final String PRICE = "Honestly the price is too high for us this quarter.";
    private static final String TIMING = "To be honest, now is not a good time, maybe next quarter.";

    @Inject
    SessionStateLookup nudges;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final String session = "sess_" + UUID.randomUUID();

    @BeforeEach
    void serviceIsReady() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aRepMonologueInACoachSessionGetsANudgeAnAgentModeSessionDoesNot() {
        String agentSession = "sess_" + UUID.randomUUID();
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, TENANT, agentSession, 1, "gateway-service",
                    new SessionStarted("agent", "call", "rep", List.of(Track.AGENT, Track.CUSTOMER), "en", "pcm16", null)));
            // session events come on their own channel, so only once it is consumed do the transcripts follow
            await().atMost(BOUND).until(() -> nudges.inAgentMode(TENANT, agentSession));
            kafka.send(Topics.TRANSCRIPTS, final_(agentSession, Track.AGENT, "Let me tell you all about us.", 0, 70_000));
            var marker = final_(agentSession, Track.CUSTOMER, PRICE, 70_000, 72_000);
            kafka.send(Topics.TRANSCRIPTS, marker);

            var monologue = final_(session, Track.AGENT, "Let me tell you all about us.", 0, 70_000);
            kafka.send(Topics.TRANSCRIPTS, monologue);

            var nudge = suggestions.awaitOne(r -> session.equals(r.key()), BOUND).envelope().payloadAs(Suggestion.class);
            assertThat(nudge.kind()).isEqualTo("nudge");
            assertThat(nudge.category()).isEqualTo("monologue");
            assertThat(nudge.priority()).isEqualTo(2);
            assertThat(nudge.utteranceId()).isEqualTo(monologue.payloadAs(Transcript.class).utteranceId());
            assertThat(nudge.transcriptAt()).isEqualTo(monologue.occurredAt());

            suggestions.awaitOne(r -> agentSession.equals(r.key()), BOUND);
            assertThat(suggestions.envelopes(agentSession, EventTypes.SUGGESTION))
                    .extracting(e -> e.payloadAs(Suggestion.class).kind()).containsExactly("objection");
        }
    }

    @Test
    void theSameObjectionCategoryIsNotRepeatedWithinTheCooldown() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, final_(session, Track.CUSTOMER, PRICE, 0, 2_000));
            kafka.send(Topics.TRANSCRIPTS, final_(session, Track.CUSTOMER, "It's too expensive, really.", 3_000, 5_000));
            var timing = final_(session, Track.CUSTOMER, TIMING, 6_000, 8_000);
            kafka.send(Topics.TRANSCRIPTS, timing);

            suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && "timing".equals(r.envelope().payloadAs(Suggestion.class).category()), Duration.ofSeconds(20));
            assertThat(suggestions.envelopes(session, EventTypes.SUGGESTION))
                    .extracting(e -> e.payloadAs(Suggestion.class).category()).containsExactly("price", "timing");
        }
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "voicecoach_coaching_suggestions_suppressed_total{category=\"price\",kind=\"objection\""));
    }

    @Test
    void aMonologueIsFlaggedWhileItGoesOnFromTheRepsPartialTranscripts() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, final_(session, Track.CUSTOMER, "Tell me about it.", 0, 2_000));
            kafka.send(Topics.TRANSCRIPTS, final_(session, Track.AGENT, "So our platform does three things.", 3_000, 30_000));
            kafka.send(Topics.TRANSCRIPTS, partial(session, "item_long", 31_000, 45_000));
            var partial = partial(session, "item_long", 31_000, 64_000);
            kafka.send(Topics.TRANSCRIPTS, partial);

            var nudge = suggestions.awaitOne(r -> session.equals(r.key()), BOUND).envelope().payloadAs(Suggestion.class);
            assertThat(nudge.category()).isEqualTo("monologue");
            assertThat(nudge.title()).contains("61 s");
            assertThat(nudge.utteranceId()).as("the utterance still being spoken").isEqualTo("item_long");
            assertThat(nudge.transcriptAt()).isEqualTo(partial.occurredAt());
        }
    }

    @Test
    void betweenPartialsTheSessionTimerFlagsTheMonologueWhenItReachesTheThreshold() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            // 58 s of rep speech so far, and nothing more arrives: 2 s later the monologue reaches 60 s
            var partial = partial(session, "item_long", 0, 58_000);
            kafka.send(Topics.TRANSCRIPTS, partial);

            var record = suggestions.awaitOne(r -> session.equals(r.key()), BOUND).envelope();
            var nudge = record.payloadAs(Suggestion.class);
            assertThat(nudge.category()).isEqualTo("monologue");
            assertThat(nudge.utteranceId()).isEqualTo("item_long");
            assertThat(nudge.transcriptAt()).as("when it was due").isEqualTo(partial.occurredAt().plusSeconds(2));
            assertThat(record.occurredAt()).as("not before").isAfterOrEqualTo(nudge.transcriptAt());

            // its final then brings no second monologue nudge (the talk ratio may be flagged)
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, session, 2, "gateway-service",
                    new Transcript("item_long", Track.AGENT, "and that is how it works", true, 0, 61_000, 1.0, "text",
                            Instant.now())));
            var marker = final_(session, Track.CUSTOMER, PRICE, 62_000, 64_000);
            kafka.send(Topics.TRANSCRIPTS, marker);
            suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && "price".equals(r.envelope().payloadAs(Suggestion.class).category()), BOUND);
            assertThat(suggestions.envelopes(session, EventTypes.SUGGESTION))
                    .extracting(e -> e.payloadAs(Suggestion.class).category()).containsOnlyOnce("monologue", "price");
        }
    }

    @Test
    void undecodableSessionRecordsGoToTheirDeadLetterTopic() {
        try (var dlq = kafka.read(Topics.deadLetter(Topics.SESSIONS))) {
            kafka.sendRaw(Topics.SESSIONS, session, "{\"type\": ");
            var parked = dlq.awaitOne(r -> session.equals(r.key()), BOUND);
            assertThat(parked.headers()).containsKey("dead-letter-reason");
        }
    }

    private Envelope partial(String sessionId, String utteranceId, long startMs, long endMs) {
        return Envelope.of(EventTypes.TRANSCRIPT_PARTIAL, TENANT, sessionId, 1, "transcription-service",
                new Transcript(utteranceId, Track.AGENT, "so what we do is", false, startMs, endMs, 0.8, "pocketsphinx",
                        Instant.now()));
    }

    private Envelope final_(String sessionId, String track, String text, long startMs, long endMs) {
        return Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, sessionId, 1, "gateway-service",
                new Transcript("item_" + UUID.randomUUID(), track, text, true, startMs, endMs, 1.0, "text", Instant.now()));
    }
}
