package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.voicecoach.analytics.SessionIngestTest.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class ToolCallAndMetricsTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void theSessionShowsItsMetrics() {
        var call = DemoCall.of("demo");
        call.send(kafka);
        var s = awaitSession(DEMO_KEY, call.session(), j -> j.getString("endedAt") != null
                && j.getList("utterances").size() == 3
                && j.getList("suggestions.deliveredAt").stream().filter(d -> d != null).count() == 2
                && j.getList("suggestions.kind").stream().filter(k -> k != null).count() == 2);
        // customer u1 1000-2500 (price), rep u2 3000-4000 (a question), customer u3 5000-6000 (competitor)
        assertThat(s.getLong("metrics.durationMs")).isEqualTo(10_000);
        assertThat(s.getLong("metrics.speakers.agent.talkMs")).isEqualTo(1_000);
        assertThat(s.getLong("metrics.speakers.customer.talkMs")).isEqualTo(2_500);
        assertThat(s.getDouble("metrics.speakers.agent.shareOfTalk")).isEqualTo(0.286);
        assertThat(s.getDouble("metrics.speakers.agent.shareOfCall")).isEqualTo(0.1);
        assertThat(s.getInt("metrics.repQuestions")).isEqualTo(1);
        assertThat(s.getInt("metrics.interruptions")).isZero();
        assertThat(s.getInt("metrics.objections.raised")).isEqualTo(2);
        assertThat(s.getInt("metrics.objections.addressed")).isEqualTo(1);
        assertThat(s.getMap("metrics.objections.byCategory.price")).isEqualTo(Map.of("raised", 1, "addressed", 1));
        assertThat(s.getMap("metrics.objections.byCategory.competitor")).isEqualTo(Map.of("raised", 1, "addressed", 0));
        assertThat(s.getInt("metrics.objections.items[0].responseMs")).isEqualTo(500);
        assertThat(s.getList("metrics.sentiment.utterances.utteranceId")).containsExactly("u1", "u2", "u3");
        assertThat(s.getMap("metrics.prompts")).isEqualTo(Map.of("generated", 2, "shown", 2));
        assertThat(s.getDouble("metrics.audioMinutes")).isZero(); // typed text, no audio
        assertThat(s.getMap("metrics.longestMonologue")).containsEntry("track", "customer").containsEntry("durationMs", 1500);
    }

    @Test
    void toolCallsAreStoredOnceWithOutcomeAndLatencyWhateverTheOrder() {
        var call = DemoCall.of("demo");
        kafka.send(Topics.SESSIONS, call.started());
        var tc1 = toolCall(call, "tc1", 2705);
        var tc1Result = toolResult(call, "tc1", 2717, ToolResult.OK, null, 9);
        kafka.send(Topics.TOOL_CALLS, tc1);
        kafka.send(Topics.TOOL_RESULTS, tc1Result);
        kafka.send(Topics.TOOL_RESULTS, toolResult(call, "tc2", 6230, ToolResult.ERROR,
                new ToolError("not_found", "no card for timing"), 3));
        kafka.send(Topics.TOOL_CALLS, toolCall(call, "tc2", 6210));
        kafka.send(Topics.TOOL_CALLS, toolCall(call, "tc3", 7000));

        var s = awaitSession(DEMO_KEY, call.session(), j -> j.getList("toolCalls").size() == 3
                && j.getList("toolCalls.requestedAt").stream().allMatch(r -> r != null)
                && j.getList("toolCalls.completedAt").stream().filter(c -> c != null).count() == 2);
        assertToolCalls(call, s);

        try (var callsDlq = kafka.read(Topics.deadLetter(Topics.TOOL_CALLS));
             var resultsDlq = kafka.read(Topics.deadLetter(Topics.TOOL_RESULTS))) {
            kafka.send(Topics.TOOL_CALLS, tc1);
            kafka.send(Topics.TOOL_RESULTS, tc1Result);
            kafka.send(Topics.TOOL_CALLS, DemoCall.envelope(EventTypes.TOOL_CALL, "other", call.session(), 1,
                    call.at(1), new ToolCall(call.session() + "-tc1", "steal", null, "x", 1)));
            kafka.sendRaw(Topics.TOOL_RESULTS, call.session(), "{not json");
            kafka.send(Topics.TOOL_RESULTS, DemoCall.envelope(EventTypes.TOOL_RESULT, "demo", call.session(), 1,
                    call.at(1), Map.of("callId", call.session() + "-tc1", "status", "maybe")));
            callsDlq.awaitOne(r -> call.session().equals(r.key()), WAIT);
            assertThat(resultsDlq.await(r -> call.session().equals(r.key()), 2, WAIT)).hasSize(2);
        }
        kafka.send(Topics.TOOL_CALLS, toolCall(call, "tc4", 8000));
        var after = awaitSession(DEMO_KEY, call.session(), j -> j.getList("toolCalls").size() == 4);
        assertToolCalls(call, after);
        SessionIngestTest.problem(OTHER_KEY, "/api/v1/sessions/" + call.session(), 404);
    }

    private static void assertToolCalls(DemoCall call, io.restassured.path.json.JsonPath s) {
        assertThat(s.getList("toolCalls.callId")).startsWith(
                call.session() + "-tc1", call.session() + "-tc2", call.session() + "-tc3");
        assertThat(s.getMap("toolCalls[0]")).containsEntry("tool", "get_battle_card").containsEntry("outcome", "ok")
                .containsEntry("toolLatencyMs", 9).containsEntry("roundTripMs", 12)
                .containsEntry("requestedBy", "coaching-service").containsEntry("timeoutMs", 1500);
        assertThat(s.getString("toolCalls[0].arguments.category")).isEqualTo("price");
        assertThat(s.getString("toolCalls[0].result.id")).isEqualTo("card_price");
        assertThat(s.getMap("toolCalls[1]")).containsEntry("outcome", "error").containsEntry("errorCode", "not_found")
                .containsEntry("errorMessage", "no card for timing").containsEntry("roundTripMs", 20);
        assertThat(s.getString("toolCalls[2].outcome")).isEqualTo("pending");
        assertThat(s.getString("toolCalls[2].roundTripMs")).isNull();
    }

    private static Envelope toolCall(DemoCall call, String name, long at) {
        return DemoCall.envelope(EventTypes.TOOL_CALL, "demo", call.session(), 1, call.at(at),
                new ToolCall(call.session() + "-" + name, "get_battle_card", EventJson.tree(Map.of("category", "price")),
                        "coaching-service", 1500));
    }

    private static Envelope toolResult(DemoCall call, String name, long at, String status, ToolError error, long latency) {
        return DemoCall.envelope(EventTypes.TOOL_RESULT, "demo", call.session(), 1, call.at(at),
                new ToolResult(call.session() + "-" + name, "get_battle_card", status,
                        ToolResult.OK.equals(status) ? EventJson.tree(Map.of("id", "card_price")) : null, error, latency));
    }
}
