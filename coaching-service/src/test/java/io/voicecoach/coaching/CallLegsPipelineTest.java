package io.voicecoach.coaching;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call in two sessions through a real broker: the rep's session carries only the {@code agent} track, a second leg
 * (joined by call id) only the {@code customer} track. The customer leg's speech reaches the rep's session through
 * {@code coach.call.talk} and {@code coach.leg.talk}, so its talk ratio and monologue are measured over both legs; the
 * customer leg gives no rep nudges (no talk-time or must-say nudge, no checklist); another tenant's session naming the same call id hears nothing of it.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class CallLegsPipelineTest {

    private static final String TENANT = "demo";
    private static final String OTHER_TENANT = "other";
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Set<String> TALK = Set.of("monologue", "talk_ratio", "interruptions", "few_questions");
    private static final String PRICE = "Honestly the price is too high for us this quarter.";

    @Inject
    SessionStateLookup lookup;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final String call = "call_" + UUID.randomUUID();
    private final String rep = "sess_rep_" + UUID.randomUUID();
    private final String customer = "sess_customer_" + UUID.randomUUID();
    private final String otherRep = "sess_other_rep_" + UUID.randomUUID();
    private final String otherCustomer = "sess_other_customer_" + UUID.randomUUID();
    /** Both legs' session time 0 on the gateway's clock (their transcripts' {@code receivedAt} = start + endMs). */
    private Instant start;

    @BeforeEach
    void serviceIsReady() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        start = Instant.now();
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void theRepsSessionMeasuresTalkTimeAgainstTheCustomerLegAndOnlyItGetsTheMonologueNudge() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            started(TENANT, rep, Track.AGENT);
            started(TENANT, customer, Track.CUSTOMER);
            started(OTHER_TENANT, otherRep, Track.AGENT);
            started(OTHER_TENANT, otherCustomer, Track.CUSTOMER);
            await().atMost(BOUND).until(() -> lookup.callLegs(TENANT, call).equals(Set.of(rep, customer)));
            await().atMost(BOUND).until(() -> lookup.callLegs(OTHER_TENANT, call).equals(Set.of(otherRep, otherCustomer)));

            // two minutes of turns, 10 s each: the rep talks half the time and never a minute on end
            var hops = new java.util.ArrayList<Long>();
            for (int turn = 0; turn < 6; turn++) {
                long at = turn * 20_000L;
                said(TENANT, rep, Track.AGENT, turn == 0 ? "Just so you know, this call is being recorded."
                        : "Here is how we would handle that part of it.", at, at + 10_000);
                said(TENANT, customer, Track.CUSTOMER, "We have about twenty people on the team.", at + 10_000,
                        at + 20_000);
                long heard = (turn + 1) * 10_000L;
                long sent = System.nanoTime();
                await("customer speech of turn " + turn + " in the rep's session").atMost(BOUND)
                        .pollInterval(Duration.ofMillis(10)).until(() -> customerSpeechMs(TENANT, rep) == heard);
                hops.add((System.nanoTime() - sent) / 1_000_000);
            }
            System.out.println("call legs: customer transcript sent -> counted in the rep's session, ms: " + hops);
            // the other tenant's call of the same id: its rep hears its own customer leg only, and ours not that one
            said(OTHER_TENANT, otherCustomer, Track.CUSTOMER, "We have about twenty people on the team.", 0, 4_000);
            // that rep said nothing yet: its session time is taken from its session.started, a few ms after the start
            await().atMost(BOUND).until(() -> customerSpeechMs(OTHER_TENANT, otherRep) > 3_000);
            assertThat(customerSpeechMs(OTHER_TENANT, otherRep)).isLessThanOrEqualTo(4_000);
            assertThat(customerSpeechMs(TENANT, rep)).isEqualTo(60_000);

            // then the rep talks for 70 s without a break
            var monologue = said(TENANT, rep, Track.AGENT, "Let me walk you through the whole roadmap in detail.",
                    120_000, 190_000);
            // markers: an objection on each leg; each comes after what its session published before
            said(TENANT, rep, Track.CUSTOMER, PRICE, 191_000, 194_000);
            said(TENANT, customer, Track.CUSTOMER, PRICE, 195_000, 198_000);
            suggestions.awaitOne(r -> rep.equals(r.key()) && isObjection(r.envelope()), BOUND);
            suggestions.awaitOne(r -> customer.equals(r.key()) && isObjection(r.envelope()), BOUND);

            var toRep = suggestions.envelopes(rep, EventTypes.SUGGESTION).stream()
                    .map(e -> e.payloadAs(Suggestion.class)).toList();
            assertThat(toRep).extracting(Suggestion::kind, Suggestion::category)
                    .as("no talk-ratio nudge at 50%%, the monologue nudge once")
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("nudge", "monologue"),
                            org.assertj.core.groups.Tuple.tuple("objection", "price"));
            assertThat(toRep.getFirst().utteranceId()).isEqualTo(monologue.payloadAs(Transcript.class).utteranceId());
            var toCustomer = suggestions.envelopes(customer, EventTypes.SUGGESTION).stream()
                    .map(e -> e.payloadAs(Suggestion.class)).toList();
            assertThat(toCustomer).as("the customer leg gets no talk-time nudges")
                    .filteredOn(s -> TALK.contains(s.category())).isEmpty();
            // it carries no agent track: no must-say nudge about the rep's notice on the other leg, no checklist
            assertThat(toCustomer).noneMatch(s -> s.category().startsWith("must_say."));
            assertThat(suggestions.envelopes(customer, EventTypes.COMPLIANCE_CHECKLIST)).isEmpty();
            assertThat(suggestions.envelopes(rep, EventTypes.COMPLIANCE_CHECKLIST)).as("the rep's own checklist")
                    .isNotEmpty();
        }
    }

    @Test
    void recordsOfTheCallTopicsThatCannotBeUsedGoToTheirDeadLetterTopicsAndCoachingGoesOn() {
        try (var legDlq = kafka.read(Topics.deadLetter(Topics.LEG_TALK));
             var callDlq = kafka.read(Topics.deadLetter(Topics.CALL_TALK));
             var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.sendRaw(Topics.LEG_TALK, rep, "{\"eventId\": ");
            // speech for one session sent under another session's key: never steered into that session
            kafka.sendRaw(Topics.LEG_TALK, rep, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":\"" + TENANT
                    + "\",\"sessionId\":\"" + customer + "\",\"at\":\"" + Instant.now() + "\",\"speech\":"
                    + "{\"utteranceId\":\"u\",\"track\":\"customer\",\"isFinal\":true,\"startAt\":\""
                    + Instant.now() + "\",\"endAt\":\"" + Instant.now() + "\"}}");
            kafka.sendRaw(Topics.CALL_TALK, TENANT + "\u0000" + call, "{\"kind\": \"shout\"}");

            assertThat(legDlq.await(r -> rep.equals(r.key()), 2, BOUND))
                    .allSatisfy(r -> assertThat(r.headers()).containsKey("dead-letter-reason"))
                    .extracting(r -> r.headers().get("dead-letter-reason"))
                    .anySatisfy(reason -> assertThat(reason).contains("sessionId"));
            assertThat(callDlq.awaitOne(r -> (TENANT + "\u0000" + call).equals(r.key()), BOUND).headers())
                    .containsEntry("dead-letter-reason", "unknown kind shout");

            said(TENANT, customer, Track.CUSTOMER, PRICE, 0, 3_000);
            suggestions.awaitOne(r -> customer.equals(r.key()) && isObjection(r.envelope()), BOUND);
        }
    }

    private long customerSpeechMs(String tenant, String session) {
        return lookup.session(tenant, session).map(s -> s.nudges().customerSpeechInWindowMs()).orElse(-1L);
    }

    private static boolean isObjection(Envelope envelope) {
        return envelope != null && EventTypes.SUGGESTION.equals(envelope.type())
                && "objection".equals(envelope.payloadAs(Suggestion.class).kind());
    }

    private void started(String tenant, String session, String track) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, session, 1, "gateway-service",
                new SessionStarted("coach", call, "rep_1", List.of(track), "en", "audio/pcm;rate=24000", null)));
    }

    private Envelope said(String tenant, String session, String track, String text, long startMs, long endMs) {
        var transcript = Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, session, 2, "transcription-service",
                new Transcript("item_" + UUID.randomUUID(), track, text, true, startMs, endMs, 0.9, "pocketsphinx",
                        start.plusMillis(endMs)));
        kafka.send(Topics.TRANSCRIPTS, transcript);
        return transcript;
    }
}
