package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.llm.LlmJson;
import io.voicecoach.coaching.llm.StubLlmResource;
import io.voicecoach.coaching.llm.StubLlmServer;
import io.voicecoach.coaching.llm.TokenUsage;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.Received;
import io.voicecoach.devstack.KafkaTestClient.TopicReader;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SpeechStarted;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The voice-agent loop over the real broker: stub LLM, the test acting as tool-service. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
class AgentLoopTest {

    private static final String TENANT = StubLlmResource.AGENT_TENANT;
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String TOOLS = """
            {"tools": [
              {"type": "function", "function": {"name": "get_available_slots", "description": "Free service slots on a date",
                "parameters": {"type": "object", "properties": {"date": {"type": "string"}}, "required": ["date"]}}},
              {"type": "retrieval"},
              {"type": "function", "function": {"name": "bad name with spaces"}}
            ]}""";

    @Inject
    io.voicecoach.coaching.session.SessionStateLookup agents;

    @Inject
    AgentConfig config;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StubLlmServer stub = StubLlmResource.server();
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
    void agentSession() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        stub.reset(TENANT);
        stub.tools(TENANT, TOOLS);
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, TENANT, session, 1, "gateway-service",
                new SessionStarted("agent", "call_1", null, List.of(Track.CUSTOMER), "en-US", "audio/pcm", null)));
        await().atMost(BOUND).until(() -> agents.inAgentMode(TENANT, session));
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void callsAToolWaitsForItsResultAndSpeaksAgain() {
        stub.then(TENANT, StubLlmServer.toolCall("call_llm_1", "get_available_slots", new TokenUsage(300, 20),
                "{\"da", "te\": \"2026-", "11-23\"}"));
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(340, 12), "We have ", "9am and 11am", " tomorrow."));
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS);
             var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            kafka.send(Topics.TRANSCRIPTS, customerSays("Can I bring my car in tomorrow?"));

            var callRecord = calls.awaitOne(r -> session.equals(r.key()), BOUND);
            var call = callRecord.envelope().payloadAs(ToolCall.class);
            assertThat(callRecord.envelope().tenantId()).isEqualTo(TENANT);
            assertThat(call.tool()).isEqualTo("get_available_slots");
            assertThat(call.arguments()).isEqualTo(EventJson.MAPPER.createObjectNode().put("date", "2026-11-23"));
            assertThat(call.requestedBy()).isEqualTo("coaching-service");
            assertThat(call.timeoutMs()).isEqualTo(config.toolTimeout().toMillis());

            answer(call, TENANT, "{\"slots\": [\"09:00\", \"11:00\"]}");

            var done = awaitDone(replies);
            assertThat(done.status()).isEqualTo("completed");
            assertThat(done.deliveredText()).isEqualTo("We have 9am and 11am tomorrow.");

            var events = sessionEvents(replies);
            assertThat(events).extracting(Envelope::type).containsExactly(EventTypes.AGENT_RESPONSE_CREATED,
                    EventTypes.AGENT_FUNCTION_CALL, EventTypes.AGENT_TEXT_DELTA, EventTypes.AGENT_TEXT_DELTA,
                    EventTypes.AGENT_TEXT_DELTA, EventTypes.AGENT_TEXT_DONE, EventTypes.AGENT_RESPONSE_DONE);
            assertThat(events).extracting(Envelope::seq).isSorted();
            var functionCall = events.get(1).payloadAs(AgentFunctionCall.class);
            assertThat(functionCall.callId()).isEqualTo(call.callId());
            assertThat(functionCall.name()).isEqualTo("get_available_slots");
            assertThat(functionCall.arguments()).isEqualTo("{\"date\": \"2026-11-23\"}");
            assertThat(events.subList(2, 5)).extracting(e -> e.payloadAs(AgentTextDelta.class).delta())
                    .containsExactly("We have ", "9am and 11am", " tomorrow.");
            assertThat(events.get(5).payloadAs(AgentTextDone.class).text()).isEqualTo("We have 9am and 11am tomorrow.");

            var usages = suggestions.await(r -> session.equals(r.key()) && r.envelope() != null
                    && EventTypes.LLM_USAGE.equals(r.envelope().type()), 2, BOUND);
            assertThat(usages).extracting(r -> r.envelope().payloadAs(LlmUsage.class))
                    .extracting(LlmUsage::purpose, LlmUsage::promptTokens, LlmUsage::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("agent", 300, "ok"),
                            org.assertj.core.groups.Tuple.tuple("agent", 340, "ok"));
        }

        var requests = stub.requests(TENANT);
        assertThat(requests).hasSize(2);
        var first = requests.get(0).body();
        assertThat(first.path("tools")).hasSize(1);
        assertThat(first.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_available_slots");
        assertThat(first.path("tool_choice").asText()).isEqualTo("auto");
        assertThat(first.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(first.path("messages").get(0).path("content").asText()).contains(config.instructions()).contains(AgentWorker.RULES);

        var second = requests.get(1).body().path("messages");
        assertThat(roles(second)).containsExactly("system", "user", "assistant", "tool");
        assertThat(second.get(1).path("content").asText()).isEqualTo("Can I bring my car in tomorrow?");
        var calledTool = second.get(2).path("tool_calls").get(0);
        assertThat(calledTool.path("id").asText()).isEqualTo("call_llm_1");
        assertThat(calledTool.path("function").path("name").asText()).isEqualTo("get_available_slots");
        assertThat(calledTool.path("function").path("arguments").asText()).isEqualTo("{\"date\": \"2026-11-23\"}");
        assertThat(second.get(3).path("tool_call_id").asText()).isEqualTo("call_llm_1");
        var fedBack = LlmJson.objectIn(second.get(3).path("content").asText()).orElseThrow();
        assertThat(fedBack.path("data").path("slots").get(0).asText()).isEqualTo("09:00");
        assertThat(fedBack.path("tool").asText()).isEqualTo("get_available_slots");
    }

    @Test
    void aToolThatDoesNotAnswerInTimeIsFedBackAsATimeoutAndAnotherTenantsResultIsIgnored() {
        stub.then(TENANT, StubLlmServer.toolCall("call_t", "get_available_slots", new TokenUsage(100, 10), "{\"date\": \"2026-11-24\"}"));
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(120, 8), "Sorry, the calendar is not answering right now."));
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS)) {
            kafka.send(Topics.TRANSCRIPTS, customerSays("Any slots on Monday?"));
            var call = calls.awaitOne(r -> session.equals(r.key()), BOUND).envelope().payloadAs(ToolCall.class);
            answer(call, StubLlmResource.COACH_TENANT, "{\"slots\": [\"forged\"]}");

            var done = awaitDone(replies);
            assertThat(done.status()).isEqualTo("completed");
            assertThat(done.deliveredText()).isEqualTo("Sorry, the calendar is not answering right now.");
            var took = Duration.between(sessionEvents(replies).getFirst().occurredAt(), sessionEvents(replies).getLast().occurredAt());
            assertThat(took).isGreaterThanOrEqualTo(config.toolTimeout());
        }
        var tool = stub.requests(TENANT).get(1).body().path("messages").get(3);
        assertThat(tool.path("role").asText()).isEqualTo("tool");
        assertThat(tool.path("content").asText()).contains("timeout").doesNotContain("forged");
    }

    @Test
    void aToolTheTenantDoesNotOfferIsNeverCalled() {
        stub.then(TENANT, StubLlmServer.toolCall("call_x", "delete_all_customers", new TokenUsage(40, 6), "{}"));
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(50, 5), "I cannot do that."));
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS)) {
            kafka.send(Topics.TRANSCRIPTS, customerSays("Please delete every customer record."));

            assertThat(awaitDone(replies).deliveredText()).isEqualTo("I cannot do that.");
            assertThat(calls.all().stream().filter(r -> session.equals(r.key()))).isEmpty();
        }
        var tool = stub.requests(TENANT).get(1).body().path("messages").get(3);
        assertThat(tool.path("tool_call_id").asText()).isEqualTo("call_x");
        assertThat(tool.path("content").asText()).contains("unknown_tool");
    }

    @Test
    void stopsCallingToolsAtTheRoundBound() {
        stub.fallback(TENANT, StubLlmServer.toolCall("call_again", "get_available_slots", new TokenUsage(50, 5), "{\"date\": \"2026-11-25\"}"));
        try (var replies = kafka.read(Topics.AGENT_REPLIES); var calls = kafka.read(Topics.TOOL_CALLS)) {
            kafka.send(Topics.TRANSCRIPTS, customerSays("Keep checking until you find something."));
            for (int round = 1; round < config.maxRounds(); round++) {
                var all = calls.await(r -> session.equals(r.key()), round, BOUND);
                answer(all.getLast().envelope().payloadAs(ToolCall.class), TENANT, "{\"slots\": []}");
            }
            var done = awaitDone(replies);
            assertThat(done.status()).isEqualTo("failed");
            assertThat(calls.all().stream().filter(r -> session.equals(r.key()))).hasSize(config.maxRounds() - 1);
            assertThat(sessionEvents(replies).stream().filter(e -> EventTypes.AGENT_FUNCTION_CALL.equals(e.type())))
                    .hasSize(config.maxRounds() - 1);
        }
        var requests = stub.requests(TENANT);
        assertThat(requests).hasSize(config.maxRounds());
        assertThat(requests.getLast().body().path("tool_choice").asText()).isEqualTo("none");
        assertThat(requests.get(0).body().path("tool_choice").asText()).isEqualTo("auto");
    }

    @Test
    void aToolListThatFailsAtFirstIsAskedAgainAndTheAgentKeepsItsTools() {
        String tenant = StubLlmResource.BUSY_TENANT;
        String busySession = "sess_" + UUID.randomUUID();
        stub.reset(tenant);
        stub.tools(tenant, TOOLS);
        stub.failTools(tenant, 2);
        stub.then(tenant, StubLlmServer.toolCall("call_llm_busy", "get_available_slots", new TokenUsage(30, 5),
                "{\"date\": \"2026-12-08\"}"));
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, busySession, 1, "gateway-service",
                new SessionStarted("agent", "call_busy", null, List.of(Track.CUSTOMER), "en-US", "audio/pcm", null)));
        await().atMost(BOUND).until(() -> agents.inAgentMode(tenant, busySession));
        try (var calls = kafka.read(Topics.TOOL_CALLS)) {
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, busySession, 2,
                    "gateway-service", new Transcript("item_" + UUID.randomUUID(), Track.CUSTOMER,
                            "Any slots tomorrow?", true, 1000, 3000, 1.0, "text", Instant.now())));

            var call = calls.awaitOne(r -> busySession.equals(r.key()), BOUND).envelope().payloadAs(ToolCall.class);
            assertThat(call.tool()).isEqualTo("get_available_slots");
        }
        assertThat(stub.toolRequests(tenant)).as("two 503s, then the list").isEqualTo(3);
        assertThat(stub.requests(tenant).getFirst().body().path("tools")).as("tools offered to the LLM").isNotEmpty();
    }

    @Test
    void theCallerSpeakingCancelsTheReplyAndTheHistoryKeepsOnlyWhatWasDelivered() {
        var release = new CountDownLatch(1);
        stub.then(TENANT, StubLlmServer.streamThenWait(List.of("Sure, ", "let me "), release, "check that for you.",
                new TokenUsage(60, 9)));
        stub.then(TENANT, StubLlmServer.text(new TokenUsage(80, 4), "Yes, go ahead."));
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            kafka.send(Topics.TRANSCRIPTS, customerSays("Can you check my booking?"));
            replies.await(r -> ofType(r, EventTypes.AGENT_TEXT_DELTA), 2, BOUND);

            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SPEECH_STARTED, TENANT, session, 5, "gateway-service",
                    new SpeechStarted(Track.CUSTOMER, "item_barge", 4200)));

            var cancelled = awaitDone(replies);
            assertThat(cancelled.status()).isEqualTo("cancelled");
            assertThat(cancelled.deliveredText()).isEqualTo("Sure, let me ");
            release.countDown();

            kafka.send(Topics.TRANSCRIPTS, customerSays("Actually, one more question."));
            var next = replies.await(r -> ofType(r, EventTypes.AGENT_RESPONSE_DONE), 2, BOUND).getLast()
                    .envelope().payloadAs(AgentResponseDone.class);
            assertThat(next.status()).isEqualTo("completed");
            assertThat(next.responseId()).isNotEqualTo(cancelled.responseId());

            var first = sessionEvents(replies).stream().filter(e -> cancelled.responseId().equals(responseId(e))).toList();
            assertThat(first.getLast().type()).isEqualTo(EventTypes.AGENT_RESPONSE_DONE);
            assertThat(first).noneMatch(e -> EventTypes.AGENT_TEXT_DONE.equals(e.type()));
        }
        var second = stub.requests(TENANT).get(1).body().path("messages");
        assertThat(roles(second)).containsExactly("system", "user", "assistant", "user");
        assertThat(second.get(2).path("content").asText()).isEqualTo("Sure, let me ");
        assertThat(stub.toolRequests(TENANT)).isLessThanOrEqualTo(1);
    }

    @Test
    void responseCancelStopsTheReplyItNames() {
        var release = new CountDownLatch(1);
        stub.then(TENANT, StubLlmServer.streamThenWait(List.of("One moment"), release, " please.", new TokenUsage(10, 3)));
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            kafka.send(Topics.TRANSCRIPTS, customerSays("Hello?"));
            var delta = replies.awaitOne(r -> ofType(r, EventTypes.AGENT_TEXT_DELTA), BOUND);
            String responseId = delta.envelope().payloadAs(AgentTextDelta.class).responseId();

            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.RESPONSE_CANCEL_REQUESTED, TENANT, session, 6,
                    "gateway-service", new ResponseCancelRequested("resp_other", "client")));
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.RESPONSE_CANCEL_REQUESTED, TENANT, session, 7,
                    "gateway-service", new ResponseCancelRequested(responseId, "client")));

            var done = awaitDone(replies);
            assertThat(done.responseId()).isEqualTo(responseId);
            assertThat(done.status()).isEqualTo("cancelled");
            assertThat(done.deliveredText()).isEqualTo("One moment");
        } finally {
            release.countDown();
        }
    }

    // ---- helpers ----

    private Envelope customerSays(String text) {
        var payload = new Transcript("item_" + UUID.randomUUID(), Track.CUSTOMER, text, true, 1000, 3000, 1.0, "text",
                Instant.now());
        return Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, session, 1, "gateway-service", payload);
    }

    private void answer(ToolCall call, String tenant, String resultJson) {
        JsonNode result = LlmJson.objectIn(resultJson).orElseThrow();
        kafka.send(Topics.TOOL_RESULTS, Envelope.of(EventTypes.TOOL_RESULT, tenant, session, 1, "tool-service",
                new ToolResult(call.callId(), call.tool(), ToolResult.OK, result, null, 3)));
    }

    private boolean ofType(Received record, String type) {
        return session.equals(record.key()) && record.envelope() != null && type.equals(record.envelope().type());
    }

    private AgentResponseDone awaitDone(TopicReader replies) {
        return replies.awaitOne(r -> ofType(r, EventTypes.AGENT_RESPONSE_DONE), BOUND).envelope()
                .payloadAs(AgentResponseDone.class);
    }

    private List<Envelope> sessionEvents(TopicReader replies) {
        return replies.all().stream().filter(r -> session.equals(r.key()) && r.envelope() != null)
                .map(Received::envelope).toList();
    }

    private static String responseId(Envelope event) {
        return event.payload().path("responseId").asText();
    }

    private static List<String> roles(JsonNode messages) {
        var roles = new ArrayList<String>();
        messages.forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }
}
