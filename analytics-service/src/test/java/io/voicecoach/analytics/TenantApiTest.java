package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.analytics.SessionIngestTest.awaitSession;
import static io.voicecoach.analytics.SessionIngestTest.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

/**
 * Search, aggregates, latency percentiles, CSV export and erasure. Tenant {@code acme} holds only this class's
 * sessions; those in 1-12 November 2026 only {@link #searchAggregatesLatencyAndExport}'s, so its figures are exact.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class TenantApiTest {

    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final String ACME = GatewayCredentialStub.keyOf("acme");
    private static final String NOVEMBER = "from=2026-11-01&to=2026-11-12";

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void searchAggregatesLatencyAndExport() {
        var a1 = DemoCall.of("acme", Instant.parse("2026-11-10T10:00:00Z"), "rep_a");
        var a2 = DemoCall.of("acme", Instant.parse("2026-11-11T10:00:00Z"), "rep_a");
        var a3 = DemoCall.of("acme", Instant.parse("2026-11-11T12:00:00Z"), "rep_b");
        for (var call : List.of(a1, a2, a3)) {
            call.send(kafka);
        }
        // a2 also hears a timing objection on u2 (no receipt): transcript->suggestion 30 ms
        kafka.send(Topics.SUGGESTIONS, DemoCall.suggestion("acme", a2.session(), a2.t0(), a2.suggestionId("s3"), "u2",
                "timing", 4100, 4200, 4230));
        for (var call : List.of(a1, a2, a3)) {
            awaitSession(ACME, call.session(), s -> s.getString("endedAt") != null && s.getList("utterances").size() == 3
                    && s.getList("suggestions.deliveredAt").stream().filter(d -> d != null).count() == 2
                    && s.getList("suggestions.kind").stream().filter(k -> k != null).count() == (call == a2 ? 3 : 2));
        }

        var first = list(ACME, "limit=2&" + NOVEMBER);
        assertThat(first.getList("sessions.sessionId")).containsExactly(a3.session(), a2.session());
        assertThat(first.getList("sessions.objectionCount")).containsExactly(2, 3);
        var second = list(ACME, "limit=2&" + NOVEMBER + "&cursor=" + first.getString("nextCursor"));
        assertThat(second.getList("sessions.sessionId")).containsExactly(a1.session());
        assertThat(second.getString("nextCursor")).isNull();

        assertThat(ids(ACME, "rep=rep_a&" + NOVEMBER)).containsExactly(a2.session(), a1.session());
        assertThat(ids(ACME, "from=2026-11-11&to=2026-11-12")).containsExactly(a3.session(), a2.session());
        assertThat(ids(ACME, "from=2026-11-01&to=2026-11-10")).containsExactly(a1.session());
        assertThat(ids(ACME, "from=2026-11-11T11:00:00Z&to=2026-11-12")).containsExactly(a3.session());
        assertThat(ids(ACME, "objection=timing&" + NOVEMBER)).containsExactly(a2.session());
        assertThat(ids(ACME, "objection=price&rep=rep_b&" + NOVEMBER)).containsExactly(a3.session());
        assertThat(ids(OTHER_KEY, "rep=rep_a&" + NOVEMBER)).isEmpty();

        // each call: rep 1000 ms of 3500 ms talk; e2e latencies 130 and 170 ms
        var reps = get(ACME, "/api/v1/aggregates/reps?" + NOVEMBER);
        assertThat(reps.getString("groupBy")).isEqualTo("rep");
        assertThat(reps.getList("groups")).containsExactly(
                Map.ofEntries(Map.entry("key", "rep_a"), Map.entry("sessions", 2), Map.entry("repTalkShare", 0.286f),
                        Map.entry("objections", 5),
                        Map.entry("objectionsByCategory", Map.of("competitor", 2, "price", 2, "timing", 1)),
                        Map.entry("prompts", 4), Map.entry("avgPromptLatencyMs", 150.0f), Map.entry("audioMinutes", 0.0f),
                        Map.entry("llmTokens", 0), Map.entry("llmCostUsd", 0.0f), Map.entry("transcriptionFailures", 0),
                        Map.entry("outcomes", Map.of()), Map.entry("agentSpeechMs", 0),
                        Map.entry("ttsChars", 0), Map.entry("ttsCostUsd", 0.0f)),
                Map.ofEntries(Map.entry("key", "rep_b"), Map.entry("sessions", 1), Map.entry("repTalkShare", 0.286f),
                        Map.entry("objections", 2), Map.entry("objectionsByCategory", Map.of("competitor", 1, "price", 1)),
                        Map.entry("prompts", 2), Map.entry("avgPromptLatencyMs", 150.0f), Map.entry("audioMinutes", 0.0f),
                        Map.entry("llmTokens", 0), Map.entry("llmCostUsd", 0.0f), Map.entry("transcriptionFailures", 0),
                        Map.entry("outcomes", Map.of()), Map.entry("agentSpeechMs", 0),
                        Map.entry("ttsChars", 0), Map.entry("ttsCostUsd", 0.0f)));
        var days = get(ACME, "/api/v1/aggregates/days?" + NOVEMBER);
        assertThat(days.getList("groups.key")).containsExactly("2026-11-10", "2026-11-11");
        assertThat(days.getList("groups.sessions")).containsExactly(1, 2);
        assertThat(days.getList("groups.objections")).containsExactly(2, 5);
        var weeks = get(ACME, "/api/v1/aggregates/weeks?" + NOVEMBER);
        assertThat(weeks.getList("groups.key")).containsExactly("2026-11-09");
        assertThat(weeks.getList("groups.sessions")).containsExactly(3);
        assertThat(get(OTHER_KEY, "/api/v1/aggregates/reps?" + NOVEMBER).getList("groups.key"))
                .doesNotContain("rep_a", "rep_b");

        var latency = get(ACME, "/api/v1/latency?" + NOVEMBER);
        assertThat(latency.getMap("transcriptToSuggestionMs")).isEqualTo(Map.of("count", 7, "p50", 30, "p95", 40, "max", 40));
        assertThat(latency.getMap("suggestionToClientMs")).isEqualTo(Map.of("count", 6, "p50", 10, "p95", 30, "max", 30));
        assertThat(latency.getMap("endToEndMs")).isEqualTo(Map.of("count", 6, "p50", 130, "p95", 170, "max", 170));
        assertThat(get(OTHER_KEY, "/api/v1/latency?" + NOVEMBER).getInt("endToEndMs.count")).isZero();

        var csv = given().header("Authorization", "Bearer " + ACME)
                .get("/api/v1/export/sessions?rep=rep_a&" + NOVEMBER)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv.split("\r\n")).containsExactly(
                "session_id,call_id,rep_id,mode,started_at,ended_at,end_reason,duration_ms,utterances,suggestions,objections,"
                        + "team,outcome",
                a2.session() + ",call_" + a2.session() + ",rep_a,coach,2026-11-11T10:00:00Z,2026-11-11T10:00:10Z,"
                        + "client_closed,10000,3,3,3,,",
                a1.session() + ",call_" + a1.session() + ",rep_a,coach,2026-11-10T10:00:00Z,2026-11-10T10:00:10Z,"
                        + "client_closed,10000,3,2,2,,");
        var otherCsv = given().header("Authorization", "Bearer " + OTHER_KEY)
                .get("/api/v1/export/sessions?" + NOVEMBER).then().statusCode(200).extract().asString();
        assertThat(otherCsv).doesNotContain(a1.session(), a2.session(), a3.session());
    }

    @Test
    void badQueriesAreProblems() {
        for (String query : List.of("cursor=bm9wZQ", "cursor=%25%25", "from=yesterday", "to=2026-13-01",
                "from=2026-11-12&to=2026-11-01", "limit=0")) {
            problem(ACME, "/api/v1/sessions?" + query, 400);
        }
        problem(ACME, "/api/v1/aggregates/months", 400);
        problem(ACME, "/api/v1/latency?from=soon", 400);
        given().get("/api/v1/export/sessions").then().statusCode(401);
        given().delete("/api/v1/sessions/x").then().statusCode(401);
    }

    @Test
    void aSessionIsErasedWithEverythingDerivedAndStaysErased() {
        String rep = "rep_" + UUID.randomUUID();
        var call = DemoCall.of("acme", Instant.now().truncatedTo(ChronoUnit.MILLIS), rep);
        call.send(kafka);
        awaitSession(ACME, call.session(), s -> s.getString("endedAt") != null && s.getList("utterances").size() == 3
                && s.getList("suggestions.deliveredAt").stream().filter(d -> d != null).count() == 2);
        var aggregate = get(ACME, "/api/v1/aggregates/reps?rep=" + rep);
        assertThat(aggregate.getList("groups.sessions")).containsExactly(1);
        assertThat(aggregate.getList("groups.objectionsByCategory")).containsExactly(Map.of("competitor", 1, "price", 1));
        assertThat(get(ACME, "/api/v1/latency?rep=" + rep).getMap("endToEndMs"))
                .isEqualTo(Map.of("count", 2, "p50", 130, "p95", 170, "max", 170));

        given().header("Authorization", "Bearer " + OTHER_KEY).delete("/api/v1/sessions/{id}", call.session())
                .then().statusCode(404).contentType("application/problem+json");
        SessionIngestTest.session(ACME, call.session());

        try (var announced = kafka.read(Topics.SESSIONS)) {
            given().header("Authorization", "Bearer " + ACME).delete("/api/v1/sessions/{id}", call.session())
                    .then().statusCode(204);
            // the other services' stores hear of it: session.erased for this tenant's session
            var erased = announced.awaitOne(r -> r.envelope() != null
                    && EventTypes.SESSION_ERASED.equals(r.envelope().type())
                    && call.session().equals(r.envelope().sessionId()), Duration.ofSeconds(20)).envelope();
            assertThat(erased.tenantId()).isEqualTo("acme");
            assertThat(erased.payload().path("scope").asText()).isEqualTo("session");
        }
        problem(ACME, "/api/v1/sessions/" + call.session(), 404);
        given().header("Authorization", "Bearer " + ACME).delete("/api/v1/sessions/{id}", call.session())
                .then().statusCode(404);
        assertThat(ids(ACME, "limit=100&from=" + call.t0().minusSeconds(1) + "&to=" + call.t0().plusSeconds(1))).isEmpty();

        // redelivered and late events of the erased session are dropped, not stored again
        double erasedBefore = erasedCount();
        call.send(kafka);
        kafka.send(Topics.TRANSCRIPTS, DemoCall.utterance("acme", call.session(), call.t0(), "u9", Track.AGENT,
                "late", 9000, 9500, 9600, 9700));
        await().atMost(Duration.ofSeconds(30)).until(() -> erasedCount() >= erasedBefore + 1);
        problem(ACME, "/api/v1/sessions/" + call.session(), 404);
        // nor does it count in the rollups any more
        assertThat(get(ACME, "/api/v1/aggregates/days?rep=" + rep).getList("groups")).isEmpty();
        var latency = get(ACME, "/api/v1/latency?rep=" + rep);
        for (String hop : List.of("transcriptToSuggestionMs", "suggestionToClientMs", "endToEndMs")) {
            assertThat(latency.getInt(hop + ".count")).as(hop).isZero();
        }
    }

    private static double erasedCount() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("voicecoach_analytics_events_total{") && l.contains("outcome=\"erased\"")
                        && l.contains("topic=\"voice.transcripts\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> ids(String key, String query) {
        return list(key, query).getList("sessions.sessionId");
    }

    private static JsonPath list(String key, String query) {
        return get(key, "/api/v1/sessions?" + query);
    }

    private static JsonPath get(String key, String path) {
        return given().header("Authorization", "Bearer " + key).urlEncodingEnabled(false).get(path)
                .then().statusCode(200).extract().jsonPath();
    }
}
