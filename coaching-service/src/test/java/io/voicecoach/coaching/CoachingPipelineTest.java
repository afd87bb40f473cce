package io.voicecoach.coaching;

import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.Received;
import io.voicecoach.devstack.KafkaTestClient.TopicReader;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class CoachingPipelineTest {

    private static final String TENANT = "demo";
    private static final Duration BOUND = Duration.ofSeconds(15);

    private static final String PRICE = "Honestly the price is too high for us this quarter.";
    private static final String COMPETITOR = "Maybe, but we are already talking to Globex about this.";
    private static final String BUYING = "That makes sense. How soon could we get started, and what does the contract look like?";

    @Inject
    PlaybookSource playbooks;

    @Inject
    CoachingConfig config;

    @Inject
    MeterRegistry meters;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final String session = "sess_" + UUID.randomUUID();

    @BeforeAll
    static void pollQuickly() {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    @AfterAll
    static void resetPolling() {
        Awaitility.reset();
    }

    @BeforeEach
    void serviceIsReady() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void suggestsThePlaybookAnswerForEachCategoryAndTheBattleCardAfterIt() {
        var lines = List.of(
                new Line(PRICE, "objection", "price"),
                new Line(COMPETITOR, "objection", "competitor"),
                new Line("I would need to run this by my boss before we commit to anything.", "objection", "authority"),
                new Line("To be honest, now is not a good time, maybe next quarter.", "objection", "timing"),
                new Line("I'm not sure we really need this, our current process works fine.", "objection", "need"),
                new Line("I've never heard of your company.", "objection", "trust"),
                new Line("We're happy with what we have right now.", "objection", "status_quo"),
                new Line(BUYING, "buying_signal", "buying_signal"));

        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            long previousSeq = 0;
            for (var line : lines) {
                var transcript = customerFinal(TENANT, line.text());
                kafka.send(Topics.TRANSCRIPTS, transcript);

                BattleCard card = null;
                if (line.kind().equals("objection")) {
                    var call = awaitCall(calls, transcript);
                    assertThat(call.arguments().get("category").asText()).isEqualTo(line.category());
                    card = card(line.category());
                    answer(call, TENANT, card, inTime(transcript));
                }

                var received = awaitSuggestion(suggestions, transcript);
                var suggestion = received.envelope().payloadAs(Suggestion.class);
                var expectedAnswer = answerFor(line.category());
                assertThat(received.key()).isEqualTo(session);
                assertThat(received.envelope().tenantId()).isEqualTo(TENANT);
                assertThat(received.envelope().producer()).isEqualTo("coaching-service");
                assertThat(received.envelope().seq()).isGreaterThan(previousSeq);
                previousSeq = received.envelope().seq();
                assertThat(suggestion.kind()).as(line.text()).isEqualTo(line.kind());
                assertThat(suggestion.category()).as(line.text()).isEqualTo(line.category());
                assertThat(suggestion.title()).isEqualTo(expectedAnswer.title());
                assertThat(suggestion.message()).isEqualTo(expectedAnswer.message());
                assertThat(suggestion.source()).isEqualTo("rules");
                assertThat(suggestion.priority()).isEqualTo(line.kind().equals("objection") ? 1 : 2);
                assertThat(suggestion.confidence()).isBetween(0.5, 0.99);
                assertThat(suggestion.card()).isNull();
                assertThat(UUID.fromString(suggestion.suggestionId())).isNotNull();
                assertTimestamps(received, transcript);
                if (card != null) {
                    var followUp = awaitCard(suggestions, transcript);
                    assertThat(followUp.envelope().payloadAs(SuggestionCard.class))
                            .isEqualTo(new SuggestionCard(suggestion.suggestionId(), utteranceId(transcript), card));
                    assertThat(followUp.envelope().seq()).isGreaterThan(previousSeq);
                    previousSeq = followUp.envelope().seq();
                }
            }
        }
    }

    @Test
    void asksToolServiceForTheCompetitorsBattleCard() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            var transcript = customerFinal(TENANT, COMPETITOR);
            kafka.send(Topics.TRANSCRIPTS, transcript);

            var received = calls.awaitOne(r -> session.equals(r.key()), BOUND);
            assertThat(received.envelope().type()).isEqualTo(EventTypes.TOOL_CALL);
            assertThat(received.envelope().tenantId()).isEqualTo(TENANT);
            assertThat(received.envelope().sessionId()).isEqualTo(session);
            var call = received.envelope().payloadAs(ToolCall.class);
            assertThat(UUID.fromString(call.callId())).isNotNull();
            assertThat(call.tool()).isEqualTo("get_battle_card");
            assertThat(call.arguments()).isEqualTo(EventJson.MAPPER.createObjectNode()
                    .put("category", "competitor").put("competitor", "globex"));
            assertThat(call.requestedBy()).isEqualTo("coaching-service");
            assertThat(call.timeoutMs()).isEqualTo(config.battleCardWait().toMillis());

            var card = new BattleCard("card_globex", "competitor", "globex", "Against Globex",
                    "Globex needs a services team to onboard", List.of("Live in a week", "No consultants"));
            answer(call, TENANT, card, inTime(transcript));

            var suggestion = awaitSuggestion(suggestions, transcript).envelope().payloadAs(Suggestion.class);
            assertThat(suggestion.card()).isNull();
            var followUp = awaitCard(suggestions, transcript).envelope();
            assertThat(followUp.tenantId()).isEqualTo(TENANT);
            assertThat(followUp.payloadAs(SuggestionCard.class).card()).isEqualTo(card);
            assertThat(followUp.payloadAs(SuggestionCard.class).suggestionId()).isEqualTo(suggestion.suggestionId());
        }
    }

    @Test
    void theSuggestionGoesOutBeforeItsCardWhichFollowsWithTheSameSuggestionId() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            var transcript = customerFinal(TENANT, PRICE);
            kafka.send(Topics.TRANSCRIPTS, transcript);

            var call = awaitCall(calls, transcript);
            // tool-service answers 300 ms after the transcript (event time), and the answer reaches Kafka later still
            CompletableFuture.runAsync(() -> answer(call, TENANT, card("price"), transcript.occurredAt().plusMillis(300)),
                    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

            var followUp = awaitCard(suggestions, transcript);
            var suggestion = awaitSuggestion(suggestions, transcript);
            var records = sessionRecords(suggestions);
            assertThat(records.indexOf(suggestion)).isLessThan(records.indexOf(followUp));
            assertThat(followUp.key()).isEqualTo(session);
            assertThat(followUp.envelope().seq()).isGreaterThan(suggestion.envelope().seq());
            assertThat(followUp.envelope().occurredAt()).isAfter(suggestion.envelope().occurredAt());
            assertThat(followUp.envelope().payloadAs(SuggestionCard.class).suggestionId())
                    .isEqualTo(suggestion.envelope().payloadAs(Suggestion.class).suggestionId());
            assertThat(followUp.envelope().eventId())
                    .isEqualTo(DerivedIds.of("battle-card-event", transcript.eventId()));
        }
    }

    @Test
    void aSecondTranscriptIsNotHeldBehindASlowCard() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            var objection = customerFinal(TENANT, PRICE);
            var signal = customerFinal(TENANT, BUYING);
            kafka.send(Topics.TRANSCRIPTS, objection);
            kafka.send(Topics.TRANSCRIPTS, signal);

            var call = awaitCall(calls, objection);
            var first = awaitSuggestion(suggestions, objection);
            var second = awaitSuggestion(suggestions, signal);
            answer(call, TENANT, card("price"), inTime(objection)); // only now: the card cannot have held the second transcript
            var card = awaitCard(suggestions, objection);

            assertThat(sessionRecords(suggestions)).filteredOn(r -> r.envelope() != null
                            && List.of(EventTypes.SUGGESTION, EventTypes.BATTLE_CARD).contains(r.envelope().type()))
                    .containsExactly(first, second, card);
        }
    }

    @Test
    void withoutAnAnswerTheSuggestionStandsAndNoCardFollows() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            double timeouts = battleCards("timeout");
            var transcript = customerFinal(TENANT, PRICE);
            kafka.send(Topics.TRANSCRIPTS, transcript);

            var call = awaitCall(calls, transcript);
            var received = awaitSuggestion(suggestions, transcript);
            assertThat(received.envelope().payloadAs(Suggestion.class).card()).isNull();
            assertThat(received.envelope().payloadAs(Suggestion.class).category()).isEqualTo("price");
            assertTimestamps(received, transcript);

            double late = toolResults("late");
            // published after the wait (event time): too late, however soon it is processed
            answer(call, TENANT, card("price"), transcript.occurredAt().plus(config.battleCardWait()).plusMillis(1));
            await().atMost(BOUND).until(() -> toolResults("late") > late);
            assertThat(battleCards("timeout")).isGreaterThan(timeouts);
            assertNoCardAfterTheNextSuggestion(suggestions);
        }
    }

    @Test
    void aToolResultFromAnotherTenantIsNotUsed() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            double foreign = toolResults("foreign_tenant");
            var transcript = customerFinal(TENANT, PRICE);
            kafka.send(Topics.TRANSCRIPTS, transcript);

            var call = awaitCall(calls, transcript);
            answer(call, "globex-corp", card("price"), inTime(transcript));

            var received = awaitSuggestion(suggestions, transcript);
            assertThat(received.envelope().payloadAs(Suggestion.class).card()).isNull();
            await().atMost(BOUND).until(() -> toolResults("foreign_tenant") > foreign);
            assertNoCardAfterTheNextSuggestion(suggestions);
        }
    }

    @Test
    void aSessionsSuggestionsFollowTheOrderOfItsTranscriptsWhileACardIsAwaited() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            var objection = customerFinal(TENANT, PRICE); // nobody answers its tool call: waits the full time
            var signal = customerFinal(TENANT, BUYING);
            kafka.send(Topics.TRANSCRIPTS, objection);
            kafka.send(Topics.TRANSCRIPTS, signal);

            awaitSuggestion(suggestions, signal);
            assertThat(suggestions.envelopes(session, EventTypes.SUGGESTION))
                    .extracting(e -> e.payloadAs(Suggestion.class).utteranceId())
                    .containsExactly(utteranceId(objection), utteranceId(signal));
        }
    }

    @Test
    void agentPartialNeutralAndUnknownLinesProduceNoSuggestion() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            kafka.send(Topics.TRANSCRIPTS, transcript(TENANT, Track.AGENT, PRICE, true));
            kafka.send(Topics.TRANSCRIPTS, transcript(TENANT, Track.CUSTOMER, PRICE, false));
            kafka.send(Topics.TRANSCRIPTS, customerFinal(TENANT,
                    "Busy. We are growing the support team and onboarding new people is slow."));
            kafka.send(Topics.TRANSCRIPTS, customerFinal(TENANT, "What time is it over there?"));
            var unknownType = customerFinal(TENANT, PRICE);
            kafka.send(Topics.TRANSCRIPTS, new Envelope(unknownType.eventId(), "transcript.translated", 1, TENANT,
                    session, 9, Instant.now(), "test", unknownType.payload()));
            var positive = customerFinal(TENANT, BUYING);
            kafka.send(Topics.TRANSCRIPTS, positive);

            awaitSuggestion(suggestions, positive);
            assertThat(suggestions.envelopes(session, EventTypes.SUGGESTION)).hasSize(1);
            assertThat(calls.all()).noneMatch(r -> session.equals(r.key()));
        }
    }

    @Test
    void aTranscriptDeliveredTwiceIsCoachedOnce() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            var first = customerFinal(TENANT, BUYING);
            kafka.send(Topics.TRANSCRIPTS, first);
            kafka.send(Topics.TRANSCRIPTS, first);
            var later = customerFinal(TENANT, "What are the next steps?");
            kafka.send(Topics.TRANSCRIPTS, later);

            awaitSuggestion(suggestions, later);
            var all = suggestions.envelopes(session, EventTypes.SUGGESTION).stream()
                    .map(e -> e.payloadAs(Suggestion.class).utteranceId()).toList();
            assertThat(all).containsExactly(utteranceId(first), utteranceId(later));
        }
    }

    @Test
    void undecodableTranscriptsGoToTheDeadLetterTopicAndTheNextOneIsCoached() {
        try (var dlq = kafka.read(Topics.deadLetter(Topics.TRANSCRIPTS)); var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.sendRaw(Topics.TRANSCRIPTS, session, "{\"eventId\": \"not json");
            kafka.send(Topics.TRANSCRIPTS, new Envelope(UUID.randomUUID(), EventTypes.TRANSCRIPT_FINAL, 1, TENANT, session,
                    1, Instant.now(), "test", EventJson.tree(Map.of("utteranceId", "u1", "track", "customer",
                    "text", Map.of("not", "a string"), "isFinal", true))));
            kafka.send(Topics.TRANSCRIPTS, new Envelope(UUID.randomUUID(), EventTypes.TRANSCRIPT_FINAL, 1, TENANT, session,
                    2, Instant.now(), "test", EventJson.tree(Map.of("utteranceId", "u2", "track", "robot",
                    "text", PRICE, "isFinal", true))));
            var good = customerFinal(TENANT, BUYING);
            kafka.send(Topics.TRANSCRIPTS, good);

            var parked = dlq.await(r -> session.equals(r.key()), 3, BOUND);
            assertThat(parked).hasSize(3);
            assertThat(parked.getFirst().valueAsString()).isEqualTo("{\"eventId\": \"not json");
            assertThat(parked).allSatisfy(r -> assertThat(r.headers()).containsKey("dead-letter-reason"));
            awaitSuggestion(suggestions, good);
        }
    }

    @Test
    void undecodableToolResultsGoToTheirDeadLetterTopic() {
        try (var dlq = kafka.read(Topics.deadLetter(Topics.TOOL_RESULTS))) {
            kafka.sendRaw(Topics.TOOL_RESULTS, session, "[1, 2");
            dlq.awaitOne(r -> session.equals(r.key()), BOUND);
        }
    }

    @Test
    void exposesHealthAndDetectionMetrics() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            var transcript = customerFinal(TENANT, BUYING);
            kafka.send(Topics.TRANSCRIPTS, transcript);
            awaitSuggestion(suggestions, transcript);
        }
        given().get("/q/health/ready").then().statusCode(200).body(containsString(io.voicecoach.coaching.session.StreamsReadiness.NAME));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("voicecoach_coaching_detection_seconds_count{kind=\"buying_signal\""))
                .body(containsString("voicecoach_coaching_suggestions_total{category=\"buying_signal\",kind=\"buying_signal\""));
    }

    private record Line(String text, String kind, String category) {
    }

    private Envelope customerFinal(String tenant, String text) {
        return transcript(tenant, Track.CUSTOMER, text, true);
    }

    private Envelope transcript(String tenant, String track, String text, boolean isFinal) {
        var payload = new Transcript("item_" + UUID.randomUUID(), track, text, isFinal, 1000, 3000, 1.0, "text",
                Instant.now().minusMillis(20));
        return Envelope.of(isFinal ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL, tenant, session, 1,
                "gateway-service", payload);
    }

    private static String utteranceId(Envelope transcript) {
        return transcript.payloadAs(Transcript.class).utteranceId();
    }

    private ToolCall awaitCall(TopicReader calls, Envelope transcript) {
        int before = (int) calls.all().stream().filter(r -> session.equals(r.key())).count();
        var all = calls.await(r -> session.equals(r.key()), before + 1, BOUND);
        return all.getLast().envelope().payloadAs(ToolCall.class);
    }

    private Received awaitSuggestion(TopicReader suggestions, Envelope transcript) {
        String utterance = utteranceId(transcript);
        return suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                && EventTypes.SUGGESTION.equals(r.envelope().type())
                && utterance.equals(r.envelope().payloadAs(Suggestion.class).utteranceId()), BOUND);
    }

    private Received awaitCard(TopicReader suggestions, Envelope transcript) {
        String utterance = utteranceId(transcript);
        return suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                && EventTypes.BATTLE_CARD.equals(r.envelope().type())
                && utterance.equals(r.envelope().payloadAs(SuggestionCard.class).utteranceId()), BOUND);
    }

    /** The session's records in partition (offset) order: one key, one partition. */
    private List<Received> sessionRecords(TopicReader suggestions) {
        return suggestions.all().stream().filter(r -> session.equals(r.key())).toList();
    }

    /** A later suggestion of the session is on Kafka; any card published before it would be too. */
    private void assertNoCardAfterTheNextSuggestion(TopicReader suggestions) {
        var sentinel = customerFinal(TENANT, BUYING);
        kafka.send(Topics.TRANSCRIPTS, sentinel);
        awaitSuggestion(suggestions, sentinel);
        assertThat(suggestions.envelopes(session, EventTypes.BATTLE_CARD)).isEmpty();
    }

    private double battleCards(String outcome) {
        return meters.counter("voicecoach.coaching.battle.cards", "outcome", outcome).count();
    }

    private double toolResults(String outcome) {
        return meters.counter("voicecoach.coaching.tool.results", "outcome", outcome).count();
    }

    /**
     * tool-service's answer, published at {@code occurredAt}: the wait is judged by event time, so whether an answer
     * is in time does not depend on how busy the machine running the test is.
     */
    private void answer(ToolCall call, String tenant, BattleCard card, Instant occurredAt) {
        var result = new ToolResult(call.callId(), call.tool(), ToolResult.OK, EventJson.tree(card), null, 2);
        kafka.send(Topics.TOOL_RESULTS, new Envelope(UUID.randomUUID(), EventTypes.TOOL_RESULT, 1, tenant, session, 1,
                occurredAt, "tool-service", EventJson.tree(result)));
    }

    /** An answer 100 ms after the transcript was published. */
    private static Instant inTime(Envelope transcript) {
        return transcript.occurredAt().plusMillis(100);
    }

    private static BattleCard card(String category) {
        return new BattleCard("card_" + category, category, null, "Card for " + category, "How we answer " + category,
                List.of("point one", "point two"));
    }

    private Playbook.Answer answerFor(String category) {
        var playbook = playbooks.playbook();
        return category.equals("buying_signal") ? playbook.buyingSignals().answer()
                : playbook.objections().stream().filter(r -> r.category().equals(category)).findFirst().orElseThrow()
                .answer();
    }

    private void assertTimestamps(Received suggestionRecord, Envelope transcript) {
        var suggestion = suggestionRecord.envelope().payloadAs(Suggestion.class);
        assertThat(suggestion.transcriptAt()).isEqualTo(transcript.occurredAt());
        assertThat(suggestion.receivedAt()).isEqualTo(transcript.payloadAs(Transcript.class).receivedAt());
        assertThat(suggestionRecord.envelope().occurredAt()).isAfterOrEqualTo(transcript.occurredAt());
    }
}
