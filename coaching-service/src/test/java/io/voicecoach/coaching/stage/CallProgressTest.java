package io.voicecoach.coaching.stage;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.session.SessionState;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stage tracking and compliance through a real broker, with the default playbook (SPIN, must-say, must-not-say). */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class CallProgressTest {

    private static final String TENANT = "stages";
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Inject
    SessionStateLookup lookup;

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
    void publishesEachStageChangeOfTheCallInOrder() {
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            var situation = rep("Just so you know, this call is being recorded. Can you walk me through how your "
                    + "team handles renewals today?", 0, 6_000);
            kafka.send(Topics.TRANSCRIPTS, situation);
            kafka.send(Topics.TRANSCRIPTS, customer("Sure, we keep everything in spreadsheets.", 6_000, 9_000));
            kafka.send(Topics.TRANSCRIPTS, rep("Okay, and which tool do you use for the reminders?", 9_000, 12_000));
            var problem = rep("What frustrates your team most about that?", 12_000, 14_000);
            kafka.send(Topics.TRANSCRIPTS, problem);
            // no cue: recognised by meaning, close to "What does that problem cost you each quarter?"
            var implication = rep("How much money does that cost your company every quarter?", 20_000, 23_000);
            kafka.send(Topics.TRANSCRIPTS, implication);

            await().atMost(BOUND).until(() -> events.envelopes(session, EventTypes.STAGE_CHANGED).size() >= 3);
            var changes = events.envelopes(session, EventTypes.STAGE_CHANGED).stream()
                    .map(e -> e.payloadAs(StageChanged.class)).toList();
            assertThat(changes).extracting(StageChanged::stage).containsExactly("situation", "problem", "implication");
            assertThat(changes).extracting(StageChanged::previousStage).containsExactly(null, "situation", "problem");
            assertThat(changes).allSatisfy(c -> assertThat(c.methodology()).isEqualTo("SPIN"));
            assertThat(changes.getFirst().utteranceId()).isEqualTo(situation.payloadAs(Transcript.class).utteranceId());
            assertThat(changes.get(1).atMs()).isEqualTo(12_000);
            assertThat(changes.get(2).utteranceId()).isEqualTo(implication.payloadAs(Transcript.class).utteranceId());
            assertThat(events.envelopes(session, EventTypes.STAGE_CHANGED))
                    .allSatisfy(e -> assertThat(e.tenantId()).isEqualTo(TENANT));
        }
    }

    @Test
    void aForbiddenPhraseGetsAPriorityOneComplianceSuggestionAndMissingMustSayPhrasesANudgeOnce() {
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, rep("Hello, thanks for taking the time today.", 0, 3_000));
            var promise = rep("Honestly, I guarantee you will double your pipeline in a month.", 30_000, 34_000);
            kafka.send(Topics.TRANSCRIPTS, promise);
            // past 60 s without the recording notice
            var late = customer("Okay, tell me more.", 61_000, 63_000);
            kafka.send(Topics.TRANSCRIPTS, late);
            kafka.send(Topics.TRANSCRIPTS, rep("Sure, and by the way this call is being recorded.", 64_000, 67_000));
            var marker = customer("Is that a problem for our data?", 70_000, 72_000);
            kafka.send(Topics.TRANSCRIPTS, marker);
            kafka.send(Topics.TRANSCRIPTS, rep("Let us look at Globex, Globex is garbage.", 73_000, 75_000));

            await().atMost(BOUND).until(() -> suggestions(events).stream().filter(s -> "compliance".equals(s.kind())).count() >= 2);
            var compliance = suggestions(events).stream().filter(s -> "compliance".equals(s.kind())).toList();
            assertThat(compliance).extracting(Suggestion::category).containsExactly("guarantee", "disparage_competitor");
            assertThat(compliance).allSatisfy(s -> {
                assertThat(s.priority()).isEqualTo(1);
                assertThat(s.message()).isNotBlank();
            });
            assertThat(compliance.getFirst().utteranceId()).isEqualTo(promise.payloadAs(Transcript.class).utteranceId());

            var mustSay = suggestions(events).stream().filter(s -> s.category().startsWith("must_say.")).toList();
            assertThat(mustSay).extracting(Suggestion::category).containsExactly("must_say.recording_notice");
            assertThat(mustSay.getFirst().kind()).isEqualTo("nudge");
            assertThat(mustSay.getFirst().utteranceId()).isEqualTo(late.payloadAs(Transcript.class).utteranceId());
        }
    }

    @Test
    void saidInTimeTheMustSayPhraseGetsNoNudge() {
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, rep("Before we start: this call is recorded for quality.", 0, 4_000));
            kafka.send(Topics.TRANSCRIPTS, customer("That is fine.", 62_000, 63_000));
            var marker = rep("I guarantee it is worth it.", 64_000, 66_000);
            kafka.send(Topics.TRANSCRIPTS, marker);
            events.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && "compliance".equals(r.envelope().payloadAs(Suggestion.class).kind()), BOUND);
            assertThat(suggestions(events)).noneMatch(s -> s.category().startsWith("must_say."));
        }
    }

    @Test
    void aQuietCallIsNudgedByTheTimerOnceItsMustSayDeadlinePassed() {
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            // 58 s into the call without the recording notice (due at 60 s), then nobody speaks
            var hello = rep("Hello, thanks for taking the time today.", 55_000, 58_000);
            kafka.send(Topics.TRANSCRIPTS, hello);
            var timed = events.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION.equals(r.envelope().type())
                    && "must_say.recording_notice".equals(r.envelope().payloadAs(Suggestion.class).category()), BOUND);
            var nudge = timed.envelope().payloadAs(Suggestion.class);
            assertThat(nudge.kind()).isEqualTo("nudge");
            assertThat(nudge.utteranceId()).as("a nudge of the timer, about no utterance").isNull();
            assertThat(nudge.priority()).isEqualTo(2);
            assertThat(timed.envelope().tenantId()).isEqualTo(TENANT);
            // due 2 s after the transcript, nudged once the 5 s grace after that is over
            assertThat(timed.envelope().occurredAt()).isAfterOrEqualTo(hello.occurredAt().plusSeconds(7));

            // a transcript past the deadline does not nudge again
            kafka.send(Topics.TRANSCRIPTS, customer("Sorry, I was on mute.", 70_000, 72_000));
            kafka.send(Topics.TRANSCRIPTS, rep("I guarantee you will love it.", 73_000, 75_000));
            events.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION.equals(r.envelope().type())
                    && "compliance".equals(r.envelope().payloadAs(Suggestion.class).kind()), BOUND);
            assertThat(suggestions(events)).filteredOn(s -> s.category().startsWith("must_say."))
                    .extracting(Suggestion::suggestionId).containsExactly(nudge.suggestionId());
        }
    }

    @Test
    void theChecklistTicksMustSayItemsFlagsBrokenRulesAndClosesWithTheCall() {
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            startSession();
            var started = awaitChecklist(events, 1);
            assertThat(statuses(started)).containsExactly("recording_notice:pending", "next_steps:pending",
                    "guarantee:kept", "disparage_competitor:kept", "pressure:kept");
            assertThat(started.closed()).isFalse();

            var notice = rep("Just so you know, this call is being recorded.", 0, 3_000);
            kafka.send(Topics.TRANSCRIPTS, notice);
            kafka.send(Topics.TRANSCRIPTS, customer("Fine.", 3_000, 4_000));
            var promise = rep("I guarantee you will double your pipeline.", 5_000, 8_000);
            kafka.send(Topics.TRANSCRIPTS, promise);
            // voice.transcripts and voice.sessions are two topics: nothing orders a record of one before a record of
            // the other sent right after it, so the call ends once its last utterance was judged, as a live call does
            awaitChecklist(events, 3);
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ENDED, TENANT, session, 2, "gateway-service",
                    new SessionEnded("client_closed", 9_000)));
            var last = awaitChecklist(events, 4);
            var all = checklists(events);
            assertThat(statuses(all.get(1))).startsWith("recording_notice:said", "next_steps:pending");
            assertThat(all.get(1).items().getFirst().utteranceId())
                    .isEqualTo(notice.payloadAs(Transcript.class).utteranceId());
            assertThat(statuses(all.get(2))).contains("guarantee:broken");
            assertThat(all.get(2).items().get(2).utteranceId()).isEqualTo(promise.payloadAs(Transcript.class).utteranceId());
            assertThat(last.closed()).isTrue();
            assertThat(statuses(last)).containsExactly("recording_notice:said", "next_steps:missed", "guarantee:broken",
                    "disparage_competitor:kept", "pressure:kept");
            assertThat(all).as("one checklist per change: start, said, broken, end").hasSize(4);
        }
    }

    @Test
    void aCustomerOnlyLegOfTheCallGetsNoChecklistAndNoMustSayNudgeWhileTheRepsSessionDoes() {
        String call = "call_" + UUID.randomUUID();
        String leg = "sess_leg_" + UUID.randomUUID();
        // both sessions began 58 s ago: the recording notice (within 60 s) is due in 2 s, nudged 5 s after that
        var began = Instant.now().minusSeconds(58);
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.SESSIONS, startedAt(session, call, java.util.List.of(Track.AGENT, Track.CUSTOMER),
                    began));
            kafka.send(Topics.SESSIONS, startedAt(leg, call, java.util.List.of(Track.CUSTOMER), began));
            // two topics: the leg's transcripts go once its session.started was processed (it joined the call)
            await().atMost(BOUND).until(() -> lookup.callLegs(TENANT, call).equals(java.util.Set.of(session, leg)));
            var late = transcript(leg, Track.CUSTOMER, "Okay, tell me more about the rollout.", 61_000, 63_000);
            kafka.send(Topics.TRANSCRIPTS, late);

            var timed = events.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION.equals(r.envelope().type())
                    && "must_say.recording_notice".equals(r.envelope().payloadAs(Suggestion.class).category()), BOUND);
            assertThat(timed.envelope().payloadAs(Suggestion.class).utteranceId()).as("the timer's nudge").isNull();
            assertThat(statuses(awaitChecklist(events, 2))).startsWith("recording_notice:missed");
            // the leg's customer words are still coached: its objection comes after anything it published before
            var objection = transcript(leg, Track.CUSTOMER, "Honestly the price is too high for us this quarter.",
                    64_000, 67_000);
            kafka.send(Topics.TRANSCRIPTS, objection);
            var price = events.awaitOne(r -> leg.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION.equals(r.envelope().type())
                    && "objection".equals(r.envelope().payloadAs(Suggestion.class).kind()), BOUND);
            assertThat(price.envelope().payloadAs(Suggestion.class).utteranceId())
                    .isEqualTo(objection.payloadAs(Transcript.class).utteranceId());
            // and its timer had as long as the rep's session's (the same deadline) to nudge it
            assertThat(Instant.now()).isAfter(began.plusSeconds(65));
            assertThat(events.envelopes(leg, EventTypes.SUGGESTION)).map(e -> e.payloadAs(Suggestion.class))
                    .extracting(Suggestion::kind).containsExactly("objection");
            assertThat(events.envelopes(leg, EventTypes.COMPLIANCE_CHECKLIST)).as("no checklist of its own").isEmpty();
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ENDED, TENANT, leg, 3, "gateway-service",
                    new SessionEnded("client_closed", 70_000)));
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ENDED, TENANT, session, 3, "gateway-service",
                    new SessionEnded("client_closed", 70_000)));
            assertThat(awaitChecklist(events, 3).closed()).isTrue();
            await().atMost(BOUND).until(() -> lookup.callLegs(TENANT, call).isEmpty());
            assertThat(events.envelopes(leg, EventTypes.COMPLIANCE_CHECKLIST)).as("none when it ends either").isEmpty();
        }
    }

    private static Envelope startedAt(String sessionId, String call, java.util.List<String> tracks, Instant at) {
        var started = Envelope.of(EventTypes.SESSION_STARTED, TENANT, sessionId, 1, "gateway-service",
                new SessionStarted("coach", call, "rep_1", tracks, "en-US", "audio/pcm", java.util.Map.of()));
        return new Envelope(started.eventId(), started.type(), started.schemaVersion(), started.tenantId(),
                started.sessionId(), started.seq(), at, started.producer(), started.payload());
    }

    @Test
    void whatTheRepSaidJustBeforeHangingUpStillCountsInTheEndOfCallChecklist() {
        try (var events = kafka.read(Topics.SUGGESTIONS)) {
            startSession();
            awaitChecklist(events, 1);
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ENDED, TENANT, session, 2, "gateway-service",
                    new SessionEnded("client_closed", 9_000)));
            await().atMost(BOUND).until(() -> lookup.session(TENANT, session).map(SessionState::ended).orElse(false));
            // the gateway commits the caller's last words as the connection closes: their transcript comes after
            // session.ended
            var notice = rep("And this call is being recorded, by the way.", 5_000, 8_500);
            kafka.send(Topics.TRANSCRIPTS, notice);

            await().atMost(BOUND).until(() -> checklists(events).stream().anyMatch(ComplianceChecklist::closed));
            var closed = checklists(events).stream().filter(ComplianceChecklist::closed).toList();
            assertThat(closed).hasSize(1);
            assertThat(statuses(closed.getFirst())).startsWith("recording_notice:said");
            assertThat(closed.getFirst().items().getFirst().utteranceId())
                    .isEqualTo(notice.payloadAs(Transcript.class).utteranceId());
        }
    }

    private void startSession() {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, TENANT, session, 1, "gateway-service",
                new SessionStarted("coach", "call_" + session, "rep_1", java.util.List.of(Track.AGENT, Track.CUSTOMER),
                        "en-US", "audio/pcm", java.util.Map.of())));
    }

    /** The session's {@code count}th checklist, once it is on the topic. */
    private ComplianceChecklist awaitChecklist(KafkaTestClient.TopicReader events, int count) {
        await().atMost(BOUND).until(() -> checklists(events).size() >= count);
        return checklists(events).get(count - 1);
    }

    private java.util.List<ComplianceChecklist> checklists(KafkaTestClient.TopicReader events) {
        return events.envelopes(session, EventTypes.COMPLIANCE_CHECKLIST).stream()
                .map(e -> e.payloadAs(ComplianceChecklist.class)).toList();
    }

    private static java.util.List<String> statuses(ComplianceChecklist checklist) {
        return checklist.items().stream().map(i -> i.ruleId() + ":" + i.status()).toList();
    }

    private java.util.List<Suggestion> suggestions(KafkaTestClient.TopicReader events) {
        return events.envelopes(session, EventTypes.SUGGESTION).stream().map(e -> e.payloadAs(Suggestion.class)).toList();
    }

    private Envelope rep(String text, long startMs, long endMs) {
        return transcript(Track.AGENT, text, startMs, endMs);
    }

    private Envelope customer(String text, long startMs, long endMs) {
        return transcript(Track.CUSTOMER, text, startMs, endMs);
    }

    private Envelope transcript(String track, String text, long startMs, long endMs) {
        return transcript(session, track, text, startMs, endMs);
    }

    private static Envelope transcript(String sessionId, String track, String text, long startMs, long endMs) {
        return Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, sessionId, 1, "gateway-service",
                new Transcript("utt_" + UUID.randomUUID(), track, text, true, startMs, endMs, 1.0, "text", Instant.now()));
    }
}
