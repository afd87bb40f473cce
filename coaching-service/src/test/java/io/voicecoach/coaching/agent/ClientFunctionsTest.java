package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.llm.LlmJson;
import io.voicecoach.coaching.llm.StubLlmResource;
import io.voicecoach.coaching.llm.StubLlmServer;
import io.voicecoach.coaching.llm.TokenUsage;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.voicecoach.coaching.agent.AgentCalls.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's own functions ({@code session.updated.tools}) over the real broker with the stub LLM: the agent offers
 * them, a call of one goes to the client (not to tool-service) and ends the reply; the client's
 * {@code function_call_output} is the tool message of the next reply. A tenant may forbid them.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
class ClientFunctionsTest {

    private static final String WEATHER = """
            {"type": "function", "name": "get_weather", "description": "The weather in a city",
             "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}""";
    /** A client function named like the tenant's tool: the tenant's definition is the one offered. */
    private static final String CLASHING = """
            {"type": "function", "name": "get_available_slots", "description": "The client's own slots",
             "parameters": {"type": "object", "properties": {}}}""";

    @Inject
    SessionStateLookup sessions;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StubLlmServer stub = StubLlmResource.server();

    @BeforeEach
    void ready() {
        await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        stub.reset(StubLlmResource.AGENT_TENANT);
        stub.tools(StubLlmResource.AGENT_TENANT, AgentCalls.AGENT_TOOLS);
        stub.reset(StubLlmResource.SCOPED_TENANT);
        stub.tools(StubLlmResource.SCOPED_TENANT, AgentCalls.SCOPED_TOOLS);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aClientFunctionCallGoesToTheClientAndItsOutputFeedsTheNextReply() {
        String tenant = StubLlmResource.AGENT_TENANT;
        stub.then(tenant, StubLlmServer.toolCall("call_weather", "get_weather", new TokenUsage(20, 4),
                "{\"city\": ", "\"Paris\"}"));
        stub.then(tenant, StubLlmServer.text(new TokenUsage(30, 6), "It is sunny in Paris."));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        var other = new AgentCalls(kafka, StubLlmResource.COACH_TENANT, call.session);
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS)) {
            call.clientTools(List.of(json(WEATHER), json(CLASHING)), TextNode.valueOf("required"));
            await().atMost(BOUND).until(() -> sessions.session(tenant, call.session)
                    .map(s -> s.agent().clientTools.size() == 2).orElse(false));
            call.customerSays("What is the weather in Paris?");

            var function = replies.awaitOne(r -> call.ofType(r, EventTypes.AGENT_FUNCTION_CALL), BOUND)
                    .envelope().payloadAs(AgentFunctionCall.class);
            assertThat(function.name()).isEqualTo("get_weather");
            assertThat(LlmJson.objectIn(function.arguments()).orElseThrow().path("city").asText()).isEqualTo("Paris");
            var first = call.awaitDone(replies, 1).getFirst();
            assertThat(first.status()).isEqualTo("completed");
            assertThat(first.responseId()).isEqualTo(function.responseId());
            assertThat(stub.requests(tenant)).as("the model waits for the client's output").hasSize(1);

            other.functionOutput(function.callId(), "{\"forecast\": \"HACKED\"}"); // same session id, another tenant
            call.functionOutput(function.callId(), "{\"forecast\": \"sunny\", \"celsius\": 21}");
            call.responseRequested(null);
            var second = call.awaitDone(replies, 2).getLast();
            assertThat(second.status()).isEqualTo("completed");
            assertThat(second.deliveredText()).isEqualTo("It is sunny in Paris.");
            assertThat(calls.all().stream().filter(r -> call.session.equals(r.key()))).as("no tool.call").isEmpty();
        }
        var requests = stub.requests(tenant);
        assertThat(requests).hasSize(2);
        var offered = requests.get(0).body();
        assertThat(offered.path("tools")).extracting(t -> t.path("function").path("name").asText())
                .containsExactly("get_available_slots", "get_weather");
        assertThat(offered.path("tools").get(0).path("function").path("description").asText())
                .isEqualTo("Free service slots on a date");
        assertThat(offered.path("tool_choice").asText()).isEqualTo("required");

        var messages = requests.get(1).body().path("messages");
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool");
        assertThat(messages.get(2).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_weather");
        assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_weather");
        var content = LlmJson.objectIn(messages.get(3).path("content").asText()).orElseThrow();
        assertThat(content.path("tool").asText()).isEqualTo("get_weather");
        assertThat(content.path("status").asText()).isEqualTo("ok");
        assertThat(content.path("data").path("forecast").asText()).isEqualTo("sunny");
        assertThat(requests.get(1).body().toString()).doesNotContain("HACKED");
    }

    @Test
    void aTenantThatForbidsClientFunctionsNeverOffersOrRunsThem() {
        String tenant = StubLlmResource.SCOPED_TENANT;
        stub.then(tenant, StubLlmServer.toolCall("call_weather", "get_weather", new TokenUsage(20, 4),
                "{\"city\": \"Paris\"}"));
        stub.then(tenant, StubLlmServer.text(new TokenUsage(30, 6), "I can only help with car service."));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS)) {
            call.clientTools(List.of(json(WEATHER)), TextNode.valueOf("required"));
            await().atMost(BOUND).until(() -> sessions.session(tenant, call.session)
                    .map(s -> !s.agent().clientTools.isEmpty()).orElse(false));
            call.customerSays("What is the weather in Paris?");
            var done = call.awaitDone(replies, 1).getFirst();
            assertThat(done.status()).isEqualTo("completed");
            assertThat(done.deliveredText()).isEqualTo("I can only help with car service.");
            assertThat(calls.all().stream().filter(r -> call.session.equals(r.key()))).as("no tool.call").isEmpty();
            assertThat(sessions.session(tenant, call.session).orElseThrow().agent().clientCalls).isEmpty();
        }
        var requests = stub.requests(tenant);
        assertThat(requests).hasSize(2);
        var first = requests.get(0).body();
        assertThat(first.path("tools")).extracting(t -> t.path("function").path("name").asText())
                .containsExactly("get_available_slots");
        assertThat(first.path("tool_choice").asText()).as("the client's tool_choice is ignored too").isEqualTo("auto");
        var tool = requests.get(1).body().path("messages").get(3);
        assertThat(tool.path("role").asText()).isEqualTo("tool");
        assertThat(tool.path("content").asText()).contains("unknown_tool");
    }

    @Test
    void aRoundCallingATenantToolAndAClientFunctionWaitsForTheToolThenEndsForTheClient() {
        String tenant = StubLlmResource.AGENT_TENANT;
        stub.then(tenant, StubLlmServer.sse(List.of(StubLlmServer.roleChunk(), StubLlmServer.contentChunk("Let me check."),
                StubLlmServer.toolCallChunk(0, "call_slots", "get_available_slots", "{\"date\": \"2026-12-01\"}"),
                StubLlmServer.toolCallChunk(1, "call_weather", "get_weather", "{\"city\": \"Paris\"}"),
                StubLlmServer.ending("tool_calls", new TokenUsage(20, 8)).get(0),
                StubLlmServer.ending("tool_calls", new TokenUsage(20, 8)).get(1), "[DONE]")));
        stub.then(tenant, StubLlmServer.text(new TokenUsage(30, 6), "Sunny, and the first is free at nine."));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS)) {
            call.clientTools(List.of(json(WEATHER)), null);
            await().atMost(BOUND).until(() -> sessions.session(tenant, call.session)
                    .map(s -> !s.agent().clientTools.isEmpty()).orElse(false));
            call.customerSays("Weather and a slot on December first?");
            var toolCall = calls.awaitOne(r -> call.session.equals(r.key()), BOUND).envelope().payloadAs(ToolCall.class);
            assertThat(toolCall.tool()).isEqualTo("get_available_slots");
            var function = replies.awaitOne(r -> call.ofType(r, EventTypes.AGENT_FUNCTION_CALL)
                            && "get_weather".equals(r.envelope().payloadAs(AgentFunctionCall.class).name()), BOUND)
                    .envelope().payloadAs(AgentFunctionCall.class);

            call.functionOutput(function.callId(), "sunny"); // before the tenant's tool answered: kept with the round
            await().atMost(BOUND).until(() -> sessions.session(tenant, call.session)
                    .map(s -> s.agent().reply() != null && s.agent().reply().calls.stream()
                            .anyMatch(c -> c.client && c.content != null)).orElse(false));
            assertThat(replies.all().stream().filter(r -> call.ofType(r, EventTypes.AGENT_RESPONSE_DONE)))
                    .as("the reply waits for the tenant's tool").isEmpty();
            JsonNode slots = LlmJson.objectIn("{\"slots\": [\"09:00\"]}").orElseThrow();
            kafka.send(Topics.TOOL_RESULTS, Envelope.of(EventTypes.TOOL_RESULT, tenant, call.session, 1, "tool-service",
                    new ToolResult(toolCall.callId(), toolCall.tool(), ToolResult.OK, slots, null, 3)));
            var first = call.awaitDone(replies, 1).getFirst();
            assertThat(first.status()).isEqualTo("completed");
            assertThat(first.deliveredText()).isEqualTo("Let me check.");
            assertThat(stub.requests(tenant)).as("no round until response.create").hasSize(1);

            call.responseRequested(null);
            assertThat(call.awaitDone(replies, 2).getLast().deliveredText())
                    .isEqualTo("Sunny, and the first is free at nine.");
        }
        var messages = stub.requests(tenant).get(1).body().path("messages");
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "tool");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("Let me check.");
        assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_slots");
        assertThat(messages.get(4).path("tool_call_id").asText()).isEqualTo("call_weather");
        var output = LlmJson.objectIn(messages.get(4).path("content").asText()).orElseThrow();
        assertThat(output.path("data").asText()).as("text output as a JSON string").isEqualTo("sunny");
    }

    @Test
    void aClientFunctionLeftUnansweredIsAnsweredNoOutputWhenTheCallerSpeaksAgain() {
        String tenant = StubLlmResource.AGENT_TENANT;
        stub.then(tenant, StubLlmServer.toolCall("call_weather", "get_weather", new TokenUsage(20, 4),
                "{\"city\": \"Paris\"}"));
        stub.then(tenant, StubLlmServer.text(new TokenUsage(30, 6), "Sorry, I could not get the weather."));
        stub.then(tenant, StubLlmServer.text(new TokenUsage(30, 6), "Anything else?"));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            call.clientTools(List.of(json(WEATHER)), null);
            await().atMost(BOUND).until(() -> sessions.session(tenant, call.session)
                    .map(s -> !s.agent().clientTools.isEmpty()).orElse(false));
            call.customerSays("What is the weather in Paris?");
            var function = replies.awaitOne(r -> call.ofType(r, EventTypes.AGENT_FUNCTION_CALL), BOUND)
                    .envelope().payloadAs(AgentFunctionCall.class);
            call.awaitDone(replies, 1);
            call.customerSays("Hello? Are you there?");
            call.awaitDone(replies, 2);
            call.functionOutput(function.callId(), "{\"forecast\": \"late\"}"); // superseded: ignored
            call.responseRequested(null);
            call.awaitDone(replies, 3);
        }
        var requests = stub.requests(tenant);
        var messages = requests.get(1).body().path("messages");
        assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "user");
        assertThat(messages.get(3).path("content").asText()).contains("no_output");
        assertThat(requests).hasSize(3);
        assertThat(roles(requests.get(2).body().path("messages")))
                .containsExactly("system", "user", "assistant", "tool", "user", "assistant");
        assertThat(requests.get(2).body().toString()).doesNotContain("late");
    }

    private static JsonNode json(String text) {
        return LlmJson.objectIn(text).orElseThrow();
    }

    private static List<String> roles(JsonNode messages) {
        var roles = new ArrayList<String>();
        messages.forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }
}
