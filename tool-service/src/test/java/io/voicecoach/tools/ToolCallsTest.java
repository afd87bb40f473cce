package io.voicecoach.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.tools.audit.ToolCallLog;
import io.voicecoach.tools.battlecard.BattleCardEntity;
import io.voicecoach.tools.battlecard.BattleCards;
import io.voicecoach.tools.battlecard.ObjectionCategory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
class ToolCallsTest {

    private static final String DEMO = "demo";
    private static final String OTHER = "other";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ToolCallLog log;

    @Inject
    BattleCards cards;

    @Inject
    MeterRegistry meters;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private KafkaTestClient.TopicReader results;
    private String session;

    @BeforeEach
    void readResults() {
        session = "sess_" + UUID.randomUUID();
        results = kafka.read(Topics.TOOL_RESULTS);
    }

    @AfterEach
    void close() {
        results.close();
        kafka.close();
    }

    @Test
    void everyCategoryReturnsTheTenantsGenericCard() {
        for (String category : ObjectionCategory.WIRE_VALUES) {
            var card = card(call(DEMO, "get_battle_card", "{\"category\": \"" + category + "\"}"));
            assertThat(card.category()).isEqualTo(category);
            assertThat(card.competitor()).isNull();
            assertThat(card.title()).isNotBlank();
            assertThat(card.body()).isNotBlank();
            assertThat(card.talkingPoints()).isNotEmpty();
            assertThat(card.id()).isNotBlank();
        }
    }

    @Test
    void competitorSpecificCardWinsAndUnknownCompetitorFallsBackToTheGenericCard() {
        var globex = card(call(DEMO, "get_battle_card", "{\"category\": \"competitor\", \"competitor\": \"Globex\"}"));
        assertThat(globex.competitor()).isEqualTo("globex");
        assertThat(globex.title()).contains("Globex");

        var generic = card(call(DEMO, "get_battle_card", "{\"category\": \"competitor\"}"));
        var hooli = card(call(DEMO, "get_battle_card", "{\"category\": \"competitor\", \"competitor\": \"hooli\"}"));
        assertThat(hooli).isEqualTo(generic);
        assertThat(hooli.competitor()).isNull();
        assertThat(hooli.id()).isNotEqualTo(globex.id());

        // globex has no timing card: the generic one answers
        var timing = card(call(DEMO, "get_battle_card", "{\"category\": \"timing\", \"competitor\": \"globex\"}"));
        assertThat(timing.category()).isEqualTo("timing");
        assertThat(timing.competitor()).isNull();
    }

    @Test
    void badCallsGetErrorResultsAndTheServiceKeepsAnswering() {
        assertError(call(DEMO, "get_weather", "{\"city\": \"Oslo\"}"), "unknown_tool", "get_weather");
        assertError(call(DEMO, "get_battle_card", "{}"), "invalid_arguments", "'category' is required");
        assertError(call(DEMO, "get_battle_card", "{\"category\": \"budget\"}"), "invalid_arguments", "must be one of");
        assertError(call(DEMO, "get_battle_card", "{\"category\": 42}"), "invalid_arguments", "must be a string");
        assertError(call(DEMO, "get_battle_card", "{\"category\": \"price\", \"competitor\": [\"globex\"]}"),
                "invalid_arguments", "'competitor' must be a string");
        assertError(call(DEMO, "get_battle_card", "{\"category\": \"price\", \"region\": \"emea\"}"),
                "invalid_arguments", "unknown argument 'region'");
        assertError(call(DEMO, "get_battle_card", "\"price\""), "invalid_arguments", "must be a JSON object");
        assertError(call(DEMO, "get_battle_card", "[\"price\"]"), "invalid_arguments", "must be a JSON object");
        assertError(call(DEMO, "get_battle_card", null), "invalid_arguments", "must be a JSON object");

        // every violation is listed, in the message and as structured details the LLM can act on
        var several = call(DEMO, "get_battle_card", "{\"category\": \"budget\", \"competitor\": 3, \"region\": \"x\"}");
        assertError(several, "invalid_arguments", "unknown argument 'region'");
        var violations = several.payload().path("result").path("violations");
        assertThat(violations).hasSize(3);
        assertThat(violations.findValuesAsText("path")).containsExactlyInAnyOrder("/category", "/competitor", "");
        assertThat(violations.findValuesAsText("keyword")).containsExactlyInAnyOrder("enum", "type", "additionalProperties");
        assertThat(several.payload().path("error").path("message").asText())
                .contains("'category' must be one of price, timing", "'competitor' must be a string, got integer");

        assertThat(card(call(DEMO, "get_battle_card", "{\"category\": \"price\"}")).category()).isEqualTo("price");
    }

    @Test
    void unexpectedToolFailuresAreInternalErrorsAndTheServiceKeepsAnswering() {
        var exploded = call(DEMO, "test_explodes", "{}");
        assertError(exploded, "internal", "unexpectedly");
        String explodedCall = exploded.payload().path("callId").asText();
        assertThat(QuarkusTransaction.requiringNew().call(() -> log.find(DEMO, explodedCall)))
                .hasValueSatisfying(r -> assertThat(r.errorCode).isEqualTo("internal"));

        var broken = call(DEMO, "test_breaks_transaction", "{}");
        assertError(broken, "internal", "unexpectedly");
        String brokenCall = broken.payload().path("callId").asText();
        assertThat(QuarkusTransaction.requiringNew().call(() -> log.find(DEMO, brokenCall))).isEmpty();

        assertThat(card(call(DEMO, "get_battle_card", "{\"category\": \"timing\"}")).category()).isEqualTo("timing");
    }

    @Test
    void errorsAreAuditedLikeSuccesses() {
        String callId = "call_" + UUID.randomUUID();
        send(DEMO, callId, "get_battle_card", "{\"category\": 7}");
        awaitResult(callId);

        var record = QuarkusTransaction.requiringNew().call(() -> log.find(DEMO, callId).orElseThrow());
        assertThat(record.status).isEqualTo(ToolResult.ERROR);
        assertThat(record.errorCode).isEqualTo("invalid_arguments");
        assertThat(record.arguments.get("category").intValue()).isEqualTo(7);
        assertThat(record.result.path("violations").findValuesAsText("path")).contains("/category");
        assertThat(record.sessionId).isEqualTo(session);
    }

    /** Found by ToolFuzzTest: PostgreSQL refused to record arguments holding a NUL char, so the call had no result. */
    @Test
    void argumentsWithANulCharAreAnsweredAndAuditedWithAReplacementChar() {
        String callId = "call_" + UUID.randomUUID();
        send(DEMO, callId, "get_battle_card\u0000", "{\"category\": \"pri\\u0000ce\", \"x\\u0000\": [\"\\u0000\"]}");
        var result = awaitResult(callId);
        assertError(result, "unknown_tool", "get_battle_card");

        var record = QuarkusTransaction.requiringNew().call(() -> log.find(DEMO, callId).orElseThrow());
        assertThat(record.tool).isEqualTo("get_battle_card\ufffd");
        assertThat(record.arguments.path("category").asText()).isEqualTo("pri\ufffdce");
        assertThat(record.arguments.path("x\ufffd").get(0).asText()).isEqualTo("\ufffd");
        assertThat(record.errorMessage).doesNotContain("\u0000");
    }

    @Test
    void aRedeliveredCallRunsOnceAndRepublishesTheStoredResult() {
        String callId = "call_" + UUID.randomUUID();
        double runsBefore = runs();
        double replaysBefore = replays();

        send(DEMO, callId, "get_battle_card", "{\"category\": \"trust\"}");
        send(DEMO, callId, "get_battle_card", "{\"category\": \"trust\"}");
        var published = results.await(r -> isResultOf(r.envelope(), callId), 2, WAIT);

        assertThat(published).hasSize(2);
        var first = published.get(0).envelope();
        var second = published.get(1).envelope();
        assertThat(second.payload()).isEqualTo(first.payload());
        assertThat(second.eventId()).isEqualTo(first.eventId());
        assertThat(second.seq()).isEqualTo(first.seq());
        assertThat(published).allSatisfy(r -> assertThat(r.key()).isEqualTo(session));

        var record = QuarkusTransaction.requiringNew().call(() -> log.find(DEMO, callId).orElseThrow());
        assertThat(record.status).isEqualTo(ToolResult.OK);
        assertThat(record.result).isEqualTo(first.payload().get("result"));
        assertThat(record.latencyMs).isEqualTo(first.payloadAs(ToolResult.class).latencyMs());
        assertThat(QuarkusTransaction.requiringNew().call(() -> log.countForCall(DEMO, callId))).isEqualTo(1);
        assertThat(runs() - runsBefore).isEqualTo(1);
        assertThat(replays() - replaysBefore).isEqualTo(1);
    }

    @Test
    void resultsOfOneSessionAreNumberedInOrder() {
        var first = call(DEMO, "get_battle_card", "{\"category\": \"need\"}");
        var second = call(DEMO, "nope", "{}");
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.tenantId()).isEqualTo(DEMO);
        assertThat(second.producer()).isEqualTo("tool-service");
    }

    @Test
    void tenantsNeverSeeEachOthersCards() {
        assertThat(QuarkusTransaction.requiringNew().call(() -> cards.countForTenant(DEMO))).isGreaterThan(0);
        assertError(call(OTHER, "get_battle_card", "{\"category\": \"price\"}"), "not_found", "price");
        assertError(call(OTHER, "get_battle_card", "{\"category\": \"competitor\", \"competitor\": \"globex\"}"),
                "not_found", "competitor");

        var secret = BattleCardEntity.of(OTHER, new BattleCard(null, "price", "hooli", "Other's Hooli pricing",
                "Only for tenant other.", List.of("confidential")));
        QuarkusTransaction.requiringNew().run(() -> cards.persist(secret));
        try {
            var demoCard = card(call(DEMO, "get_battle_card", "{\"category\": \"price\", \"competitor\": \"hooli\"}"));
            assertThat(demoCard.id()).isNotEqualTo(secret.id.toString());
            assertThat(demoCard.competitor()).isNull();
            assertThat(demoCard.title()).doesNotContain("Other");

            var otherCard = card(call(OTHER, "get_battle_card", "{\"category\": \"price\", \"competitor\": \"hooli\"}"));
            assertThat(otherCard.id()).isEqualTo(secret.id.toString());
        } finally {
            QuarkusTransaction.requiringNew().run(() -> cards.deleteById(secret.id));
        }
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterTopicAndTheNextCallIsAnswered() {
        try (var dlq = kafka.read(Topics.deadLetter(Topics.TOOL_CALLS))) {
            kafka.sendRaw(Topics.TOOL_CALLS, session, "{not json");
            kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.SESSION_STARTED, DEMO, session, 1, "test",
                    EventJson.MAPPER.createObjectNode()));
            kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, DEMO, session, 2, "test",
                    new ToolCall(" ", "get_battle_card", null, "test", 1000)));

            var parked = dlq.await(r -> session.equals(r.key()), 3, WAIT);
            // calls are processed concurrently, so the three are parked in any order
            assertThat(parked).extracting(KafkaTestClient.Received::valueAsString).contains("{not json");
            assertThat(parked).allSatisfy(r -> assertThat(r.headers()).containsKey("dead-letter-reason"));

            assertThat(card(call(DEMO, "get_battle_card", "{\"category\": \"authority\"}")).category())
                    .isEqualTo("authority");
        }
    }

    @Test
    void exposesHealthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        call(DEMO, "get_battle_card", "{\"category\": \"need\"}");
        given().get("/q/metrics").then().statusCode(200).body(containsString("voicecoach_tool_runs_total"));
    }

    private Envelope call(String tenant, String tool, String argumentsJson) {
        String callId = "call_" + UUID.randomUUID();
        send(tenant, callId, tool, argumentsJson);
        var result = awaitResult(callId);
        assertThat(result.tenantId()).isEqualTo(tenant);
        assertThat(result.sessionId()).isEqualTo(session);
        return result;
    }

    private void send(String tenant, String callId, String tool, String argumentsJson) {
        JsonNode arguments = argumentsJson == null ? null : parse(argumentsJson);
        kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, tenant, session, 1, "coaching-service",
                new ToolCall(callId, tool, arguments, "coaching-service", 15000)));
    }

    private Envelope awaitResult(String callId) {
        return results.awaitOne(r -> isResultOf(r.envelope(), callId), WAIT).envelope();
    }

    private static boolean isResultOf(Envelope envelope, String callId) {
        return envelope != null && EventTypes.TOOL_RESULT.equals(envelope.type())
                && callId.equals(envelope.payload().path("callId").asText());
    }

    private static BattleCard card(Envelope result) {
        var payload = result.payloadAs(ToolResult.class);
        assertThat(payload.status()).as("result %s", result.payload()).isEqualTo(ToolResult.OK);
        assertThat(payload.error()).isNull();
        try {
            return EventJson.MAPPER.treeToValue(payload.result(), BattleCard.class);
        } catch (Exception e) {
            throw new AssertionError("result is not a BattleCard: " + payload.result(), e);
        }
    }

    private static void assertError(Envelope result, String code, String messagePart) {
        var payload = result.payloadAs(ToolResult.class);
        assertThat(payload.status()).as("result %s", result.payload()).isEqualTo(ToolResult.ERROR);
        assertThat(payload.error().code()).isEqualTo(code);
        assertThat(payload.error().message()).contains(messagePart);
    }

    private static JsonNode parse(String json) {
        try {
            return EventJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private double runs() {
        var counter = meters.find("voicecoach.tool.runs").tags("tool", "get_battle_card", "status", "ok").counter();
        return counter == null ? 0 : counter.count();
    }

    private double replays() {
        var counter = meters.find("voicecoach.tool.replays").counter();
        return counter == null ? 0 : counter.count();
    }
}
