package io.voicecoach.coaching.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.voicecoach.coaching.llm.StubLlmResource;
import io.voicecoach.coaching.llm.StubLlmServer;
import io.voicecoach.coaching.llm.TokenUsage;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.HeadlessBrowser;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.Received;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A call coached live with the tenant's live model, replayed through another model in shadow mode: each customer
 * utterance is asked again, with the conversation before it, and the advice compared with what the rep was shown.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
@QuarkusTestResource(GatewayCredentialStub.class)
class LlmReplayTest {

    private static final String TENANT = StubLlmResource.COACH_TENANT;
    private static final String KEY = GatewayCredentialStub.keyOf(TENANT);
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String PRICE = "Honestly the price is too high for us this quarter.";
    private static final String REP = "I understand, teams felt that way until they saw the savings.";
    private static final String VENDOR = "We are already using another vendor for this.";
    private static final String START = "How soon could we get started, and what does the contract look like?";

    @TestHTTPResource("/")
    URI base;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StubLlmServer stub = StubLlmResource.server();
    private final String session = "sess_" + UUID.randomUUID();

    @BeforeEach
    void ready() {
        await().atMost(BOUND).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        stub.reset(TENANT);
        stub.fallbackAnswer(TENANT, request -> StubLlmServer.text(new TokenUsage(100, 20), answer(request)));
    }

    @AfterEach
    void close() {
        stub.reset(TENANT);
        kafka.close();
    }

    /** The live model and the other one disagree on every customer turn. */
    private static String answer(StubLlmServer.Captured request) {
        String latest = latest(request);
        boolean live = "fast-model".equals(request.body().path("model").asText());
        if (latest.equals(PRICE)) {
            return live ? advice("objection", "price") : advice("objection", "trust");
        }
        if (latest.equals(VENDOR)) {
            return live ? "{\"kind\": \"none\"}" : advice("objection", "competitor");
        }
        if (latest.equals(START)) {
            return live ? advice("buying_signal", "buying_signal") : "{\"kind\": \"none\"}";
        }
        return "{\"kind\": \"none\"}";
    }

    private static String advice(String kind, String category) {
        return "{\"kind\": \"" + kind + "\", \"category\": \"" + category + "\", \"title\": \"" + category
                + " advice\", \"message\": \"Say something useful.\", \"confidence\": 0.9}";
    }

    private static String latest(StubLlmServer.Captured request) {
        return user(request).path("latest").asText();
    }

    private static JsonNode user(StubLlmServer.Captured request) {
        try {
            return EventJson.MAPPER.readTree(request.body().path("messages").get(1).path("content").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anotherModelReportsWhereItsAdviceDiffersFromWhatTheRepWasShownAndPublishesNothing() {
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            var utterances = recordCall(suggestions);
            int liveRequests = stub.requests(TENANT).size();

            var report = given().auth().oauth2(KEY).contentType(ContentType.JSON)
                    .body(Map.of("sessionId", session, "llm", Map.of("model", "strong-model")))
                    .post("/api/v1/replays").then().statusCode(200).extract().as(ReplayReport.class);

            assertThat(report.changes()).as("the playbook is the one that ran live").isEmpty();
            var llm = report.llm();
            assertThat(llm.model()).isEqualTo("strong-model");
            assertThat(llm.calls()).as("the three customer turns, not the rep's").isEqualTo(3);
            assertThat(llm.failed()).isZero();
            assertThat(llm.complete()).isTrue();
            assertThat(llm.promptTokens()).isEqualTo(300);
            assertThat(llm.completionTokens()).isEqualTo(60);
            assertThat(llm.costUsd()).isEqualTo(3 * (100 * 0.5 + 20 * 1.5) / 1000.0);
            assertThat(llm.latencyP95Ms()).isNotNull();
            assertThat(llm.changes()).extracting(ReplayReport.Change::utteranceId, ReplayReport.Change::change)
                    .containsExactly(tuple(utterances.get(0), "recategorised"), tuple(utterances.get(2), "added"),
                            tuple(utterances.get(3), "removed"));
            assertThat(llm.changes().get(0).live().category()).isEqualTo("price");
            assertThat(llm.changes().get(0).replayed().category()).isEqualTo("trust");
            assertThat(llm.changes().get(1).live()).isNull();
            assertThat(llm.changes().get(1).replayed().category()).isEqualTo("competitor");
            assertThat(llm.changes().get(2).live().kind()).isEqualTo("buying_signal");
            assertThat(llm.counts()).isEqualTo(new ReplayReport.Counts(1, 1, 1, 0));

            // asked as live coaching asks: the conversation before the turn, and the rules' result for it
            var asked = stub.requests(TENANT).subList(liveRequests, stub.requests(TENANT).size());
            assertThat(asked).extracting(r -> r.body().path("model").asText()).containsOnly("strong-model");
            assertThat(asked).extracting(LlmReplayTest::latest).containsExactly(PRICE, VENDOR, START);
            assertThat(user(asked.get(1)).path("conversation")).extracting(t -> t.path("speaker").asText() + ": "
                    + t.path("text").asText()).containsExactly("customer: " + PRICE, "rep: " + REP);
            assertThat(user(asked.get(0)).path("rulesSuggestion").path("category").asText()).isEqualTo("price");

            // shadow mode: a marker coached after the replay, and still only the two live LLM suggestions
            send(99, new Transcript("item_marker", Track.CUSTOMER, "To be honest, now is not a good time.", true,
                    90_000, 92_000, 1.0, "text", Instant.now()));
            suggestions.awaitOne(r -> suggestionOf(r) != null && "item_marker".equals(suggestionOf(r).utteranceId()),
                    BOUND);
            assertThat(suggestions.all().stream().map(this::suggestionOf)
                    .filter(s -> s != null && "llm".equals(s.source()) && utterances.contains(s.utteranceId())))
                    .hasSize(2);
        }
    }

    @Test
    void aTenantWithoutAnLlmOrABlankModelIsRefusedNamingTheField() {
        String noLlm = GatewayCredentialStub.keyOf("replay-nollm-" + UUID.randomUUID().toString().substring(0, 6));
        given().auth().oauth2(noLlm).contentType(ContentType.JSON)
                .body(Map.of("sessionId", session, "llm", Map.of("model", "strong-model"))).post("/api/v1/replays")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_replay"))
                .body("errors.path", hasItem("$.llm"));
        given().auth().oauth2(KEY).contentType(ContentType.JSON)
                .body(Map.of("sessionId", session, "llm", Map.of("model", " "))).post("/api/v1/replays")
                .then().statusCode(400).body("errors.path", hasItem("$.llm.model"));
        // without llm, no LLM request is made
        int before = stub.requests(TENANT).size();
        var report = given().auth().oauth2(KEY).contentType(ContentType.JSON).body(Map.of("sessionId", session))
                .post("/api/v1/replays").then().statusCode(200).extract().as(ReplayReport.class);
        assertThat(report.llm()).isNull();
        assertThat(stub.requests(TENANT)).hasSize(before);
    }

    @Test
    void theReplayPageShowsTheModelsAdviceBesideWhatWasShownLive() throws Exception {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        List<String> utterances;
        try (var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            utterances = recordCall(suggestions);
        }
        var dir = Files.createTempDirectory("llm-replay-page-test");
        var script = dir.resolve("replay-page-test.js");
        try (InputStream in = getClass().getResourceAsStream("/replay-page-test.js")) {
            Files.copy(in, script);
        }
        var run = HeadlessBrowser.run(script, Map.of("REPLAY_URL", base.resolve("/replay/").toString(), "API_KEY", KEY,
                "SESSION_ID", session, "VERSION", "0", "LLM_MODEL", "strong-model"), Duration.ofMinutes(5));
        assertThat(run.exitCode()).as("browser script output:%n%s", run.output()).isZero();
        var line = run.output().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        var result = EventJson.MAPPER.readTree(line.substring("RESULT ".length()));

        assertThat(result.get("llmSummary").asText()).isEqualTo("LLM strong-model: 3 request(s), 0 failed");
        assertThat(result.get("llmCounts").asText()).startsWith("1 added, 1 removed, 1 re-categorised, 0 unchanged; "
                + "360 tokens, $0.2400");
        var rows = result.get("llmRows");
        assertThat(rows).extracting(r -> r.get("utterance").asText() + " " + r.get("change").asText())
                .containsExactly(utterances.get(0) + " recategorised", utterances.get(2) + " added",
                        utterances.get(3) + " removed");
        assertThat(rows.get(0).get("cells").get(2).asText()).startsWith("objection/price (llm)");
        assertThat(rows.get(0).get("cells").get(3).asText()).startsWith("objection/trust (llm)");
        assertThat(rows.get(2).get("cells").get(3).asText()).isEqualTo("no suggestion");
        assertThat(result.get("rows")).as("the playbook is the one that ran live").isEmpty();
        assertThat(result.get("consoleErrors")).isEmpty();
    }

    private record Turn(String track, String text) {
    }

    /** Four turns coached live: the price and start-date turns get LLM advice, the vendor turn none. */
    private List<String> recordCall(KafkaTestClient.TopicReader suggestions) {
        warmUp(suggestions);
        var said = List.of(new Turn(Track.CUSTOMER, PRICE), new Turn(Track.AGENT, REP), new Turn(Track.CUSTOMER, VENDOR),
                new Turn(Track.CUSTOMER, START));
        var utterances = new ArrayList<String>();
        long t = 0;
        int seq = 1;
        for (var turn : said) {
            var transcript = new Transcript("item_" + seq + "_" + UUID.randomUUID(), turn.track(), turn.text(), true, t,
                    t + 3_000, 1.0, "text", Instant.now());
            utterances.add(transcript.utteranceId());
            send(seq++, transcript);
            t += 4_000;
        }
        suggestions.await(r -> suggestionOf(r) != null && "llm".equals(suggestionOf(r).source()), 2, BOUND);
        return utterances;
    }

    /**
     * Live advice has {@code llm.live-deadline} (1.5 s); the instance's first LLM call (client built, connection
     * opened, code not yet compiled) can take longer on a busy machine, and then the rules suggestion stands alone.
     * Calls in other sessions until one is answered in time make the recorded call's advice independent of that.
     */
    private void warmUp(KafkaTestClient.TopicReader suggestions) {
        for (int attempt = 1; attempt <= 10; attempt++) {
            String warm = "sess_warm_" + UUID.randomUUID();
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, warm, 1, "gateway-service",
                    new Transcript("item_warm", Track.CUSTOMER, PRICE, true, 0, 3_000, 1.0, "text", Instant.now())));
            try {
                suggestions.awaitOne(r -> warm.equals(r.key()) && r.envelope() != null
                        && EventTypes.SUGGESTION.equals(r.envelope().type())
                        && "llm".equals(r.envelope().payloadAs(Suggestion.class).source()), Duration.ofSeconds(5));
                return;
            } catch (org.awaitility.core.ConditionTimeoutException late) {
                // answered after the deadline, or not yet: another call
            }
        }
        throw new AssertionError("no live LLM advice in time in 10 warm-up calls");
    }

    private void send(long seq, Transcript transcript) {
        kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, session, seq,
                "gateway-service", transcript));
    }

    private Suggestion suggestionOf(Received record) {
        return session.equals(record.key()) && record.envelope() != null
                && EventTypes.SUGGESTION.equals(record.envelope().type())
                ? record.envelope().payloadAs(Suggestion.class) : null;
    }
}
