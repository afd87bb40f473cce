package io.voicecoach.coaching.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A local server speaking OpenAI's chat-completions wire format, and tool-service's tool-definitions endpoint.
 * {@code POST /t/<tenant>/v1/chat/completions} answers with the next scripted {@link Reply} queued for that tenant
 * (or the tenant's fallback); every request body is captured. {@code GET /internal/v1/tenants/<tenant>/tools} answers
 * with the tool definitions set for the tenant.
 */
public final class StubLlmServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes one HTTP answer. */
    @FunctionalInterface
    public interface Reply {
        void write(HttpExchange exchange) throws IOException, InterruptedException;
    }

    /** A request as received. */
    public record Captured(String tenant, String path, Map<String, List<String>> headers, JsonNode body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Map<String, ConcurrentLinkedQueue<Function<Captured, Reply>>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Function<Captured, Reply>> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, List<Captured>> requests = new ConcurrentHashMap<>();
    private final Map<String, String> tools = new ConcurrentHashMap<>();
    private final Map<String, Integer> toolRequests = new ConcurrentHashMap<>();
    private final Map<String, Integer> toolFailures = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);

    public StubLlmServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/t/", this::chat);
        server.createContext("/internal/v1/tenants/", this::tools);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl(String tenant) {
        return "http://127.0.0.1:" + port() + "/t/" + tenant + "/v1";
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Queues the answer to the tenant's next chat request. */
    public StubLlmServer then(String tenant, Reply reply) {
        return thenAnswer(tenant, request -> reply);
    }

    /** Queues an answer computed from the request. */
    public StubLlmServer thenAnswer(String tenant, Function<Captured, Reply> reply) {
        scripts.computeIfAbsent(tenant, t -> new ConcurrentLinkedQueue<>()).add(reply);
        return this;
    }

    /** The answer when nothing is queued (default: a 500). */
    public void fallback(String tenant, Reply reply) {
        fallbacks.put(tenant, request -> reply);
    }

    /** The answer, computed from the request, when nothing is queued. */
    public void fallbackAnswer(String tenant, Function<Captured, Reply> reply) {
        fallbacks.put(tenant, reply);
    }

    public void reset(String tenant) {
        scripts.remove(tenant);
        fallbacks.remove(tenant);
        requests.remove(tenant);
        tools.remove(tenant);
        toolFailures.remove(tenant);
        toolRequests.remove(tenant);
    }

    public List<Captured> requests(String tenant) {
        return List.copyOf(requests.getOrDefault(tenant, List.of()));
    }

    /** The tenant's next {@code times} tool-list requests answer 503, as while tool-service's database restarts. */
    public void failTools(String tenant, int times) {
        toolFailures.put(tenant, times);
    }

    public void tools(String tenant, String definitionsJson) {
        tools.put(tenant, definitionsJson);
    }

    public int toolRequests(String tenant) {
        return toolRequests.getOrDefault(tenant, 0);
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String tenant = parts.length > 2 ? parts[2] : "";
            var body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            var captured = new Captured(tenant, exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body);
            requests.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>()).add(captured);
            var queued = scripts.getOrDefault(tenant, new ConcurrentLinkedQueue<>()).poll();
            var reply = queued != null ? queued : fallbacks.getOrDefault(tenant, r -> error(500, "server_error", null, "no script"));
            reply.apply(captured).write(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // the client cancelled the stream
        }
    }

    private void tools(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String tenant = parts.length > 4 ? parts[4] : "";
            toolRequests.merge(tenant, 1, Integer::sum);
            if (toolFailures.getOrDefault(tenant, 0) > 0) {
                toolFailures.merge(tenant, -1, Integer::sum);
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String body = tools.getOrDefault(tenant, "{\"tools\":[]}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    // ---- replies ----

    /** An SSE stream of the given {@code data:} payloads (no [DONE] added). */
    public static Reply sse(List<String> payloads) {
        return sse(payloads, 0);
    }

    /** Same, pausing between events. */
    public static Reply sse(List<String> payloads, long pauseMs) {
        return exchange -> {
            startStream(exchange);
            OutputStream out = exchange.getResponseBody();
            for (String payload : payloads) {
                writeRaw(out, "data: " + payload + "\n\n");
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
        };
    }

    /** Raw bytes after SSE headers, e.g. garbage lines. */
    public static Reply raw(String text) {
        return exchange -> {
            startStream(exchange);
            writeRaw(exchange.getResponseBody(), text);
        };
    }

    /** Streams {@code pieces} then blocks until {@code release} counts down (or the client goes away), then ends. */
    public static Reply streamThenWait(List<String> pieces, CountDownLatch release, String rest, TokenUsage usage) {
        return exchange -> {
            startStream(exchange);
            var out = exchange.getResponseBody();
            writeRaw(out, "data: " + roleChunk() + "\n\n");
            for (String piece : pieces) {
                writeRaw(out, "data: " + contentChunk(piece) + "\n\n");
            }
            release.await(30, TimeUnit.SECONDS);
            writeRaw(out, "data: " + contentChunk(rest) + "\n\n");
            for (String payload : ending("stop", usage)) {
                writeRaw(out, "data: " + payload + "\n\n");
            }
        };
    }

    /** A complete text answer split into {@code pieces}, with usage and [DONE]. */
    public static Reply text(TokenUsage usage, String... pieces) {
        var payloads = new ArrayList<String>();
        payloads.add(roleChunk());
        for (String piece : pieces) {
            payloads.add(contentChunk(piece));
        }
        payloads.addAll(ending("stop", usage));
        return sse(payloads);
    }

    /** One tool call whose arguments arrive in {@code argumentPieces}, with usage and [DONE]. */
    public static Reply toolCall(String id, String name, TokenUsage usage, String... argumentPieces) {
        var payloads = new ArrayList<String>();
        payloads.add(toolCallChunk(0, id, name, ""));
        for (String piece : argumentPieces) {
            payloads.add(toolCallChunk(0, null, null, piece));
        }
        payloads.addAll(ending("tool_calls", usage));
        return sse(payloads);
    }

    /** OpenAI's error body with the given status. */
    public static Reply error(int status, String type, String code, String message) {
        return error(status, type, code, message, null);
    }

    public static Reply error(int status, String type, String code, String message, String retryAfter) {
        return exchange -> {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", message).put("type", type).putPOJO("param", null).put("code", code);
            byte[] bytes = JSON.writeValueAsBytes(error);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /** Accepts the request and never answers (until the server stops). */
    public Reply silent() {
        return exchange -> stopping.await();
    }

    // ---- chunks in the wire format ----

    public static String roleChunk() {
        return chunk(delta -> delta.put("role", "assistant").put("content", ""), null);
    }

    public static String contentChunk(String content) {
        return chunk(delta -> delta.put("content", content), null);
    }

    public static String toolCallChunk(int index, String id, String name, String arguments) {
        return chunk(delta -> {
            ArrayNode calls = delta.putArray("tool_calls");
            ObjectNode call = calls.addObject().put("index", index);
            if (id != null) {
                call.put("id", id).put("type", "function");
            }
            ObjectNode function = call.putObject("function");
            if (name != null) {
                function.put("name", name);
            }
            function.put("arguments", arguments);
        }, null);
    }

    /** The finish chunk, the usage chunk ({@code choices: []}) and [DONE]. */
    public static List<String> ending(String finishReason, TokenUsage usage) {
        var list = new ArrayList<String>();
        list.add(chunk(delta -> { }, finishReason));
        ObjectNode usageChunk = base();
        usageChunk.putArray("choices");
        usageChunk.putObject("usage").put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
        list.add(usageChunk.toString());
        list.add("[DONE]");
        return list;
    }

    private static String chunk(java.util.function.Consumer<ObjectNode> delta, String finishReason) {
        ObjectNode chunk = base();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        delta.accept(choice.putObject("delta"));
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk.toString();
    }

    private static ObjectNode base() {
        return JSON.createObjectNode().put("id", "chatcmpl-stub").put("object", "chat.completion.chunk")
                .put("created", 1_763_800_000L).put("model", "stub-model-2026");
    }

    private static void startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
    }

    private static void writeRaw(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
