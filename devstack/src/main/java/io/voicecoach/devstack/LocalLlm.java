package io.voicecoach.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local server speaking OpenAI's chat-completions API, answering at once from a {@link Script} (by default the
 * {@link ServiceDeskScript}): {@code POST <any prefix>/chat/completions} with {@code stream: true} (SSE chunks:
 * role, content deltas, {@code tool_calls} deltas with id and name first and the arguments in pieces, the
 * {@code finish_reason}, a usage chunk when {@code stream_options.include_usage}, then {@code data: [DONE]}) or
 * without (one {@code chat.completion} object), {@code GET <prefix>/models}. Errors are OpenAI's
 * {@code {"error": {message, type, param, code}}}: 400 for a body that is not a chat request, 401 for a wrong key
 * (when one is set), 404 for other paths, 405 for other methods, and any status queued with {@link #failNext}.
 * Token counts are estimated (4 characters a token). For the fault suite and the launcher's {@code --llm} demo.
 */
public final class LocalLlm implements AutoCloseable {

    public static final String MODEL = "voicecoach-local";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ARGUMENT_PIECE = 12;

    /** Decides the model's answer to one chat request (the request body as sent). */
    @FunctionalInterface
    public interface Script {
        Answer answer(JsonNode request);
    }

    /** What the model says: text, or calls to tools (then {@code text} is null). */
    public record Answer(String text, List<ToolCall> toolCalls) {
        public static Answer text(String text) {
            return new Answer(text, List.of());
        }

        public static Answer toolCall(String id, String name, String arguments) {
            return new Answer(null, List.of(new ToolCall(id, name, arguments)));
        }
    }

    /** @param arguments a JSON object as text, the way the API carries it */
    public record ToolCall(String id, String name, String arguments) {
    }

    /** A request as received, and the status it was answered with. */
    public record Request(String path, JsonNode body, int status) {
    }

    private record Failure(int status, String type, String code, String message) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Script script;
    private final String apiKey;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong completions = new AtomicLong();

    private LocalLlm(HttpServer server, Script script, String apiKey) {
        this.server = server;
        this.script = script;
        this.apiKey = apiKey;
    }

    /** The service desk on {@code port} (0: a free one), no API key required. */
    public static LocalLlm start(int port) {
        return start(port, new ServiceDeskScript(), null);
    }

    /** @param apiKey the bearer token requests must carry, or null to accept any */
    public static LocalLlm start(int port, Script script, String apiKey) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            var llm = new LocalLlm(server, script, apiKey);
            server.setExecutor(llm.threads);
            server.createContext("/", llm::handle);
            server.start();
            return llm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for the local LLM", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The OpenAI-style base URL: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Answers the next chat request with this error instead (429 also gets {@code Retry-After: 1}). */
    public void failNext(int status, String code, String message) {
        String type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
        failures.add(new Failure(status, type, code, message));
    }

    /** Every request so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (apiKey != null && !("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, path, null, new Failure(401, "invalid_request_error", "invalid_api_key",
                        "Incorrect API key provided."));
            } else if (path.endsWith("/models")) {
                if (!method.equals("GET")) {
                    methodNotAllowed(exchange, path);
                    return;
                }
                var body = JSON.createObjectNode().put("object", "list");
                body.putArray("data").addObject().put("id", MODEL).put("object", "model").put("created", 0)
                        .put("owned_by", "voicecoach");
                send(exchange, 200, "application/json", body.toString());
                requests.add(new Request(path, null, 200));
            } else if (path.endsWith("/chat/completions")) {
                if (!method.equals("POST")) {
                    methodNotAllowed(exchange, path);
                    return;
                }
                complete(exchange, path, raw);
            } else {
                error(exchange, path, null, new Failure(404, "invalid_request_error", "unknown_url",
                        "Unknown request URL: " + method + " " + path + "."));
            }
        } catch (IOException clientWentAway) {
            // the client cancelled the stream
        }
    }

    private void complete(HttpExchange exchange, String path, byte[] raw) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            error(exchange, path, null, new Failure(400, "invalid_request_error", "invalid_json",
                    "We could not parse the JSON body of your request."));
            return;
        }
        if (body == null || !body.path("messages").isArray() || body.path("messages").isEmpty()) {
            error(exchange, path, body, new Failure(400, "invalid_request_error", "invalid_value",
                    "'messages' must be a non-empty array."));
            return;
        }
        var failure = failures.poll();
        if (failure != null) {
            error(exchange, path, body, failure);
            return;
        }
        var answer = script.answer(body);
        String id = "chatcmpl-" + completions.incrementAndGet();
        String model = body.path("model").asText(MODEL);
        var usage = usage(body, answer);
        if (body.path("stream").asBoolean(false)) {
            stream(exchange, id, model, answer, body.path("stream_options").path("include_usage").asBoolean(false)
                    ? usage : null);
        } else {
            var completion = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000).put("model", model);
            var choice = completion.putArray("choices").addObject().put("index", 0);
            var message = choice.putObject("message").put("role", "assistant");
            if (answer.toolCalls().isEmpty()) {
                message.put("content", answer.text());
            } else {
                message.putNull("content");
                var calls = message.putArray("tool_calls");
                answer.toolCalls().forEach(call -> calls.addObject().put("id", call.id()).put("type", "function")
                        .putObject("function").put("name", call.name()).put("arguments", call.arguments()));
            }
            message.putNull("refusal");
            choice.putNull("logprobs").put("finish_reason", finishReason(answer));
            completion.set("usage", usage);
            send(exchange, 200, "application/json", completion.toString());
        }
        requests.add(new Request(path, body, 200));
    }

    private static void stream(HttpExchange exchange, String id, String model, Answer answer, ObjectNode usage)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        var out = exchange.getResponseBody();
        long created = System.currentTimeMillis() / 1000;
        var first = chunk(id, model, created, usage != null);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                .put("role", "assistant").put("content", "");
        event(out, first);
        if (answer.toolCalls().isEmpty()) {
            for (String piece : words(answer.text())) {
                var chunk = chunk(id, model, created, usage != null);
                chunk.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                        .put("content", piece);
                event(out, chunk);
            }
        } else {
            for (int index = 0; index < answer.toolCalls().size(); index++) {
                var call = answer.toolCalls().get(index);
                var opening = chunk(id, model, created, usage != null);
                opening.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta")
                        .putArray("tool_calls").addObject().put("index", index).put("id", call.id())
                        .put("type", "function").putObject("function").put("name", call.name()).put("arguments", "");
                event(out, opening);
                for (int from = 0; from < call.arguments().length(); from += ARGUMENT_PIECE) {
                    var piece = chunk(id, model, created, usage != null);
                    piece.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                            .putObject("delta").putArray("tool_calls").addObject().put("index", index)
                            .putObject("function").put("arguments", call.arguments().substring(from,
                                    Math.min(call.arguments().length(), from + ARGUMENT_PIECE)));
                    event(out, piece);
                }
            }
        }
        var last = chunk(id, model, created, usage != null);
        last.withArray("choices").addObject().put("index", 0).put("finish_reason", finishReason(answer))
                .putObject("delta");
        event(out, last);
        if (usage != null) {
            var usageChunk = chunk(id, model, created, false);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage);
            event(out, usageChunk);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode chunk(String id, String model, long created, boolean usageField) {
        var chunk = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model).putNull("system_fingerprint");
        chunk.putArray("choices");
        if (usageField) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The text in pieces of one word and the space before it, as models stream. */
    static List<String> words(String text) {
        var pieces = new ArrayList<String>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        return pieces;
    }

    private static String finishReason(Answer answer) {
        return answer.toolCalls().isEmpty() ? "stop" : "tool_calls";
    }

    private static ObjectNode usage(JsonNode request, Answer answer) {
        int prompt = tokens(request.path("messages").toString()) + tokens(request.path("tools").toString());
        int completion = answer.toolCalls().isEmpty() ? tokens(answer.text())
                : answer.toolCalls().stream().mapToInt(c -> tokens(c.name()) + tokens(c.arguments())).sum();
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static int tokens(String text) {
        return text == null || text.isEmpty() ? 0 : (text.length() + 3) / 4;
    }

    private void methodNotAllowed(HttpExchange exchange, String path) throws IOException {
        exchange.getResponseHeaders().add("Allow", path.endsWith("/models") ? "GET" : "POST");
        error(exchange, path, null, new Failure(405, "invalid_request_error", "method_not_allowed",
                "Method " + exchange.getRequestMethod() + " is not allowed for " + path + "."));
    }

    private void error(HttpExchange exchange, String path, JsonNode body, Failure failure) throws IOException {
        var error = JSON.createObjectNode();
        error.putObject("error").put("message", failure.message()).put("type", failure.type()).putNull("param")
                .put("code", failure.code());
        if (failure.status() == 429) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        send(exchange, failure.status(), "application/json", error.toString());
        requests.add(new Request(path, body, failure.status()));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
