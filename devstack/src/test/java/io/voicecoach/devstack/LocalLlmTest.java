package io.voicecoach.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local LLM over HTTP as coaching-service's client meets it: the service desk's whole tool round, streamed
 * (SSE chunks joined the way an OpenAI client joins them) and not, and the error answers.
 */
class LocalLlmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOLS = """
            [{"type":"function","function":{"name":"lookup_customer","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"get_available_slots","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"book_appointment","parameters":{"type":"object"}}}]""";

    private static LocalLlm llm;
    private final HttpClient http = HttpClient.newHttpClient();

    /** What a streamed answer joins into: text, tool calls (id, name, arguments), finish reason, usage. */
    record Joined(String text, List<LocalLlm.ToolCall> calls, String finishReason, JsonNode usage, boolean done) {
    }

    @BeforeAll
    static void start() {
        llm = LocalLlm.start(0);
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @Test
    void aStreamedBookingIsOneToolPerTurnThenAConfirmationNamingTheSlot() throws Exception {
        var messages = JSON.createArrayNode();
        messages.addObject().put("role", "system").put("content", "You are the service desk.");
        messages.addObject().put("role", "user").put("content", "Hi, I'd like to book an oil change please.");

        var first = stream(messages);
        assertThat(first.finishReason()).isEqualTo("tool_calls");
        assertThat(first.done()).as("ends with data: [DONE]").isTrue();
        assertThat(first.usage().path("total_tokens").asInt()).isPositive();
        assertThat(first.calls()).singleElement().satisfies(call -> {
            assertThat(call.id()).startsWith("call_");
            assertThat(call.name()).isEqualTo("lookup_customer");
            assertThat(JSON.readTree(call.arguments()).path("phone").asText()).isEqualTo("+16175550101");
        });
        assertThat(stream(messages).calls().getFirst().id()).as("the same conversation, the same call")
                .isEqualTo(first.calls().getFirst().id());

        answer(messages, first.calls().getFirst(), """
                {"tool":"lookup_customer","status":"ok","data":{"found":true,"customer":{"name":"Maria Gonzalez",
                 "vehicles":[{"vin":"1HGCM82633A004352"}]}}}""");
        var second = stream(messages);
        assertThat(second.calls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_available_slots");
            assertThat(JSON.readTree(call.arguments()).path("service_type").asText()).isEqualTo("oil_change");
        });

        answer(messages, second.calls().getFirst(), """
                {"tool":"get_available_slots","status":"ok","data":{"slots":[{"start":"2026-12-07T08:00-05:00"},{"start":"2026-12-07T08:30-05:00"}]}}""");
        var third = stream(messages);
        assertThat(third.calls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("book_appointment");
            var arguments = JSON.readTree(call.arguments());
            assertThat(arguments.path("start").asText()).isEqualTo("2026-12-07T08:00-05:00");
            assertThat(arguments.path("phone").asText()).isEqualTo("+16175550101");
            assertThat(arguments.path("service_type").asText()).isEqualTo("oil_change");
            assertThat(arguments.path("vin").asText()).isEqualTo("1HGCM82633A004352");
        });

        answer(messages, third.calls().getFirst(), """
                {"tool":"book_appointment","status":"ok","data":{"serviceName":"Oil and filter change","start":"2026-12-07T08:00-05:00",
                 "customerName":"Maria Gonzalez"}}""");
        var last = stream(messages);
        assertThat(last.calls()).isEmpty();
        assertThat(last.finishReason()).isEqualTo("stop");
        assertThat(last.text()).contains("Maria Gonzalez", "Oil and filter change", "2026-12-07T08:00-05:00");
    }

    @Test
    void aToolErrorEndsTheRoundWithAnApologyThatQuotesIt() throws Exception {
        var messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", "Can I book my brakes for +1 617 555 0103?");
        var first = stream(messages);
        assertThat(JSON.readTree(first.calls().getFirst().arguments()).path("phone").asText())
                .isEqualTo("+16175550103");

        answer(messages, first.calls().getFirst(), "{\"error\":{\"code\":\"unavailable\",\"message\":\"the "
                + "database is not reachable\"}}");
        var apology = stream(messages);
        assertThat(apology.calls()).isEmpty();
        assertThat(apology.text()).contains("the database is not reachable");
    }

    @Test
    void withoutStreamingTheAnswerIsOneCompletionObject() throws Exception {
        var messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", "I need a tire rotation");
        var body = request(messages, false);

        var response = post("/v1/chat/completions", body.toString());
        assertThat(response.statusCode()).isEqualTo(200);
        var completion = JSON.readTree(response.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        var choice = completion.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        assertThat(choice.path("message").path("tool_calls").path(0).path("function").path("name").asText())
                .isEqualTo("lookup_customer");
        assertThat(completion.path("usage").path("prompt_tokens").asInt()).isPositive();

        var coaching = JSON.createObjectNode().put("model", "m").put("stream", false);
        coaching.putObject("response_format").put("type", "json_object");
        coaching.putArray("messages").addObject().put("role", "user").put("content", "{\"latest\":\"too pricey\"}");
        var none = JSON.readTree(post("/v1/chat/completions", coaching.toString()).body());
        assertThat(none.path("choices").path(0).path("message").path("content").asText()).isEqualTo("{\"kind\":\"none\"}");
    }

    @Test
    void errorsComeAsOpenAiErrorObjectsWithTheirStatus() throws Exception {
        assertError(post("/v1/chat/completions", "{not json"), 400, "invalid_json");
        assertError(post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}"), 400, "invalid_value");
        assertError(get("/v1/nothing"), 404, "unknown_url");
        assertError(get("/v1/chat/completions"), 405, "method_not_allowed");

        llm.failNext(429, "rate_limit_exceeded", "slow down");
        var limited = post("/v1/chat/completions", request(userSays("book an oil change"), true).toString());
        assertError(limited, 429, "rate_limit_exceeded");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        llm.failNext(503, "overloaded", "try later");
        assertError(post("/v1/chat/completions", request(userSays("hello"), false).toString()), 503, "overloaded");
        assertThat(post("/v1/chat/completions", request(userSays("hello"), false).toString()).statusCode())
                .as("a queued failure answers one request only").isEqualTo(200);

        try (var keyed = LocalLlm.start(0, new ServiceDeskScript(), "sk-local")) {
            var refused = http.send(HttpRequest.newBuilder(URI.create(keyed.baseUrl() + "/models")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(refused, 401, "invalid_api_key");
            var accepted = http.send(HttpRequest.newBuilder(URI.create(keyed.baseUrl() + "/models"))
                    .header("Authorization", "Bearer sk-local").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(accepted.body()).path("data").path(0).path("id").asText())
                    .isEqualTo(LocalLlm.MODEL);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        var error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isNotBlank();
    }

    private static ArrayNode userSays(String text) {
        var messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", text);
        return messages;
    }

    private static ObjectNode request(ArrayNode messages, boolean stream) throws IOException {
        var body = JSON.createObjectNode().put("model", LocalLlm.MODEL).put("stream", stream);
        body.set("messages", messages.deepCopy());
        body.set("tools", JSON.readTree(TOOLS));
        body.put("tool_choice", "auto");
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /** Appends the assistant's tool call and the tool's answer, as coaching-service does. */
    private static void answer(ArrayNode messages, LocalLlm.ToolCall call, String content) {
        var assistant = messages.addObject().put("role", "assistant");
        assistant.putNull("content");
        assistant.putArray("tool_calls").addObject().put("id", call.id()).put("type", "function")
                .putObject("function").put("name", call.name()).put("arguments", call.arguments());
        messages.addObject().put("role", "tool").put("tool_call_id", call.id()).put("content", content);
    }

    private Joined stream(ArrayNode messages) throws Exception {
        var response = post("/v1/chat/completions", request(messages, true).toString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        var text = new StringBuilder();
        var ids = new LinkedHashMap<Integer, String>();
        var names = new LinkedHashMap<Integer, String>();
        var arguments = new LinkedHashMap<Integer, StringBuilder>();
        String finish = null;
        JsonNode usage = null;
        boolean done = false;
        for (String line : response.body().split("\n")) {
            if (!line.startsWith("data: ")) {
                assertThat(line).as("only data lines and blank separators").isEmpty();
                continue;
            }
            String data = line.substring("data: ".length());
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            var chunk = JSON.readTree(data);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            if (chunk.path("usage").isObject()) {
                usage = chunk.path("usage");
            }
            for (var choice : chunk.path("choices")) {
                var delta = choice.path("delta");
                text.append(delta.path("content").asText(""));
                for (var call : delta.path("tool_calls")) {
                    int index = call.path("index").asInt();
                    if (call.has("id")) {
                        ids.put(index, call.path("id").asText());
                        names.put(index, call.path("function").path("name").asText());
                    }
                    arguments.computeIfAbsent(index, i -> new StringBuilder())
                            .append(call.path("function").path("arguments").asText(""));
                }
                if (!choice.path("finish_reason").isNull()) {
                    finish = choice.path("finish_reason").asText();
                }
            }
        }
        var calls = new ArrayList<LocalLlm.ToolCall>();
        for (Map.Entry<Integer, String> id : ids.entrySet()) {
            calls.add(new LocalLlm.ToolCall(id.getValue(), names.get(id.getKey()),
                    arguments.get(id.getKey()).toString()));
        }
        return new Joined(text.toString(), calls, finish, usage, done);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + llm.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + llm.port() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
