package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.voicecoach.devstack.LocalLlm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What the hostile tenant of {@link HostileTenantTest} does, one method per attack, each returning what it was
 * answered; plus the pieces it needs: a webhook endpoint that trickles its answer, and the hostile tenant's scripted
 * model, which calls that webhook whenever it is offered.
 */
final class HostileAttacks {

    static final String SLOW_TOOL = "slow_lookup";
    /**
     * Backtracking patterns, both linear in RE2: {@code (a+)+$} is the textbook case, though java.util.regex since JDK 9
     * answers it at once on {@link #TRIGGER} (measured: under 1 ms); {@code (.*a){25}c} tries about C(40, 25) ways to
     * split the trigger's 40 a's there (24 a's and 12 repetitions already took 8 s), for ever.
     */
    static final List<String> BACKTRACKING_PATTERNS = List.of("(a+)+$", "(.*a){25}c");
    /** A backreference: no linear-time engine runs it, so the loader must refuse it. */
    static final String BACKREFERENCE_PATTERN = "(a+)\\1$";
    static final String TRIGGER = "the price is too high " + "a".repeat(40) + "b";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HostileAttacks() {
    }

    // ------------------------------------------------------------------ the playbook

    /** PUT /api/v1/playbook answers. */
    record PlaybookAnswers(int refusedStatus, String refusedType, JsonNode refusedBody, int acceptedStatus,
                           String acceptedBody) {
    }

    /**
     * Stores the tenant's playbook twice: the active one with a backreference added (a pattern the loader must
     * refuse), then with the {@link #BACKTRACKING_PATTERNS} added to every objection (RE2 runs it; the transcripts that
     * follow check it runs in linear time).
     */
    static PlaybookAnswers uploadBacktrackingPlaybooks(String coachingUrl, String apiKey) throws Exception {
        var active = send(HttpRequest.newBuilder(URI.create(coachingUrl + "/api/v1/playbook")).GET(), apiKey);
        if (active.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/playbook: " + active.statusCode() + " " + active.body());
        }
        var playbook = (ObjectNode) JSON.readTree(active.body()).path("playbook");

        var refused = playbook.deepCopy();
        patterns(refused.withArray("objections").get(0)).add(BACKREFERENCE_PATTERN);
        var refusedAnswer = put(coachingUrl, apiKey, refused);

        var accepted = playbook.deepCopy();
        accepted.withArray("objections").forEach(objection -> BACKTRACKING_PATTERNS.forEach(patterns(objection)::add));
        var acceptedAnswer = put(coachingUrl, apiKey, accepted);
        return new PlaybookAnswers(refusedAnswer.statusCode(),
                refusedAnswer.headers().firstValue("Content-Type").orElse(""), JSON.readTree(refusedAnswer.body()),
                acceptedAnswer.statusCode(), acceptedAnswer.body());
    }

    private static ArrayNode patterns(JsonNode objection) {
        return ((ObjectNode) objection).withArray("patterns");
    }

    private static HttpResponse<String> put(String coachingUrl, String apiKey, JsonNode playbook) throws Exception {
        // another instance's change or a background load may hold the tenant's build for a moment: 429, Retry-After
        for (int attempt = 0; ; attempt++) {
            var answer = send(HttpRequest.newBuilder(URI.create(coachingUrl + "/api/v1/playbook"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(playbook))), apiKey);
            if (answer.statusCode() != 429 || attempt == 20) {
                return answer;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    // ------------------------------------------------------------------ Twilio, before authentication

    /**
     * Close codes of unauthenticated Twilio sockets (-1: the connection failed without a close frame, -2: the upgrade
     * failed, 0: still open after 20 s), over {@code cycles} rounds of: {@code held} sockets opened at once and left
     * without a {@code start}, then {@code extra} more beyond the per-IP cap, then a media frame on {@code huge} of the held
     * ones (every other one {@code hugeBytes} in fragments, the rest 64 KiB in one frame); each round waits for every
     * socket to be closed.
     */
    static Map<Integer, Integer> twilioSockets(int gatewayPort, int cycles, int held, int extra, int huge,
                                               int hugeBytes) {
        var codes = new ConcurrentHashMap<Integer, Integer>();
        var url = URI.create("ws://127.0.0.1:" + gatewayPort + "/v1/twilio/media");
        for (int cycle = 0; cycle < cycles; cycle++) {
            var first = openAtOnce(url, held);
            var more = openAtOnce(url, extra);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < Math.min(huge, first.size()); i++) {
                    var socket = first.get(i);
                    int bytes = i % 2 == 0 ? hugeBytes : 64 * 1024;
                    pool.submit(() -> socket.sendHuge(bytes));
                }
            }
            var all = new java.util.ArrayList<>(first);
            all.addAll(more);
            for (var socket : all) {
                codes.merge(socket.awaitClose(Duration.ofSeconds(20)), 1, Integer::sum);
            }
        }
        return Map.copyOf(codes);
    }

    private static List<TwilioSocket> openAtOnce(URI url, int count) {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var opening = new java.util.ArrayList<java.util.concurrent.Future<TwilioSocket>>();
            for (int i = 0; i < count; i++) {
                opening.add(pool.submit(() -> TwilioSocket.open(url)));
            }
            return opening.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private static final class TwilioSocket implements WebSocket.Listener {
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private volatile WebSocket socket;

        static TwilioSocket open(URI url) {
            var listener = new TwilioSocket();
            try {
                listener.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(url, listener).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                listener.closed.complete(-2); // the upgrade itself was refused or failed
            }
            return listener;
        }

        /**
         * A media frame of {@code bytes}: up to 64 KiB as one frame (above the pre-authentication cap), larger in
         * 64 KiB fragments (the transport's message limit) until the server closes the socket.
         */
        void sendHuge(int bytes) {
            if (socket == null) {
                return;
            }
            String head = "{\"event\":\"media\",\"streamSid\":\"MZ0\",\"media\":{\"track\":\"inbound\",\"payload\":\"";
            String fragment = "A".repeat(64 * 1024);
            try {
                if (bytes <= fragment.length()) {
                    socket.sendText(head + fragment.substring(0, bytes) + "\"}}", true).get(5, TimeUnit.SECONDS);
                    return;
                }
                socket.sendText(head, false).get(5, TimeUnit.SECONDS);
                for (int sent = head.length(); sent < bytes && !closed.isDone(); sent += fragment.length()) {
                    socket.sendText(fragment, false).get(5, TimeUnit.SECONDS);
                }
                if (!closed.isDone()) {
                    socket.sendText("\"}}", true).get(5, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // the server closed the socket part way: its close code is what counts
            }
        }

        int awaitClose(Duration timeout) {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (socket != null) {
                    socket.abort();
                }
                return 0; // still open after the bound
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    // ------------------------------------------------------------------ audio far faster than real time

    /** How much audio went out how fast, and what the session was told. */
    record AudioFlood(double audioSeconds, double wallSeconds, RealtimeAudioClient client) {
        double speed() {
            return audioSeconds / wallSeconds;
        }
    }

    /**
     * A coach session with no turn detection and no commit, appending 10 s of 24 kHz noise ten times a second (100 x
     * real time, inside the per-session append rate and the per-append size) for {@code seconds}.
     */
    static AudioFlood audioFlood(String realtimeUrl, String apiKey, int seconds) {
        var client = RealtimeAudioClient.connect(realtimeUrl, apiKey);
        client.awaitSessionId();
        var update = JSON.createObjectNode().put("type", "session.update");
        var session = update.putObject("session");
        var input = session.putObject("audio").putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", RealtimeAudioClient.RATE);
        input.putNull("turn_detection");
        session.putObject("voicecoach").put("call_id", "call_hostile_audio").put("mode", "coach");
        client.send(update);
        client.awaitFrame(f -> f.type().equals("session.updated"), Duration.ofSeconds(10));

        var noise = new byte[RealtimeAudioClient.RATE * 2 * 10];
        new Random(19).nextBytes(noise);
        for (int i = 0; i < noise.length; i += 2) {
            noise[i + 1] = (byte) (noise[i + 1] >> 5); // quiet noise: PCM16 LE, high byte small
        }
        String audio = Base64.getEncoder().encodeToString(noise);
        long start = System.nanoTime();
        int appends = 0;
        for (; appends < seconds * 10; appends++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(100L * appends);
            LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
            var append = JSON.createObjectNode().put("type", "input_audio_buffer.append").put("audio", audio);
            append.putObject("voicecoach").put("track", "customer");
            try {
                client.send(append);
            } catch (IllegalStateException closed) {
                break; // the gateway closed the session: recorded in its problems
            }
        }
        return new AudioFlood(appends * 10.0, (System.nanoTime() - start) / 1e9, client);
    }

    // ------------------------------------------------------------------ floods

    /** Sends {@code count} frames made by {@code frame} as fast as the socket takes them. */
    static void flood(RealtimeAudioClient client, int count, java.util.function.IntFunction<ObjectNode> frame) {
        for (int i = 0; i < count; i++) {
            client.send(frame.apply(i));
        }
    }

    static ObjectNode responseCreate(int i) {
        return JSON.createObjectNode().put("type", "response.create").put("event_id", "evt_flood_response_" + i);
    }

    static ObjectNode triggerItem(int i) {
        var frame = JSON.createObjectNode().put("type", "conversation.item.create").put("event_id", "evt_flood_item_" + i);
        var item = frame.putObject("item").put("id", "item_flood_" + i).put("type", "message").put("role", "user");
        item.putArray("content").addObject().put("type", "input_text").put("text", TRIGGER);
        frame.putObject("voicecoach").put("track", "customer");
        return frame;
    }

    // ------------------------------------------------------------------ the slow webhook

    /** Registers {@link #SLOW_TOOL} for the tenant at tool-service; returns the answer's status and body. */
    static HttpResponse<String> registerSlowTool(String toolUrl, String apiKey, String endpoint) throws Exception {
        var tool = JSON.createObjectNode().put("name", SLOW_TOOL)
                .put("description", "Look up an order in the dealership's order system").put("enabled", true);
        var parameters = tool.putObject("parameters").put("type", "object").put("additionalProperties", false);
        parameters.putObject("properties").putObject("order_id").put("type", "string");
        parameters.putArray("required").add("order_id");
        tool.putObject("webhook").put("url", endpoint).put("timeoutMs", 2000).put("idempotent", false);
        return send(HttpRequest.newBuilder(URI.create(toolUrl + "/api/v1/tools"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(tool))), apiKey);
    }

    /** An endpoint that sends its headers at once, then one body byte every 200 ms for 30 s. */
    static final class TricklingWebhook implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger mostOpen = new AtomicInteger();

        TricklingWebhook() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/slow", exchange -> {
                calls.incrementAndGet();
                mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream body = exchange.getResponseBody();
                    body.write('{');
                    body.flush();
                    for (int i = 0; i < 150; i++) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                        body.write(' ');
                        body.flush();
                    }
                    body.write("}".getBytes(StandardCharsets.UTF_8));
                } catch (IOException hungUp) {
                    // tool-service gave up on the answer: what it should do
                } finally {
                    open.decrementAndGet();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";
        }

        int calls() {
            return calls.get();
        }

        int mostOpen() {
            return mostOpen.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * The hostile tenant's model: whenever {@link #SLOW_TOOL} is offered and the conversation since the caller's last
     * message has no tool answer yet, it calls the tool (a fresh call id each time, so every reply is a new call);
     * then it apologises. JSON prompts (live coaching, the summary) get what {@code ServiceDeskScript} answers.
     */
    static final class SlowToolScript implements LocalLlm.Script {
        private final AtomicLong toolCalls = new AtomicLong();

        @Override
        public LocalLlm.Answer answer(JsonNode request) {
            if ("json_object".equals(request.path("response_format").path("type").asText())) {
                return LocalLlm.Answer.text(request.path("messages").toString().contains("summar")
                        ? "{\"summary\":\"The caller asked about an order.\",\"nextSteps\":[]}" : "{\"kind\":\"none\"}");
            }
            boolean offered = false;
            for (var tool : request.path("tools")) {
                offered |= SLOW_TOOL.equals(tool.path("function").path("name").asText());
            }
            var messages = request.path("messages");
            boolean answered = false;
            for (int i = messages.size() - 1; i >= 0 && !"user".equals(messages.get(i).path("role").asText()); i--) {
                answered |= "tool".equals(messages.get(i).path("role").asText());
            }
            if (offered && !answered && !"none".equals(request.path("tool_choice").asText())) {
                toolCalls.incrementAndGet();
                return LocalLlm.Answer.toolCall("call_" + UUID.randomUUID().toString().replace("-", ""), SLOW_TOOL,
                        "{\"order_id\":\"ORD-1\"}");
            }
            return LocalLlm.Answer.text("I'm sorry, the order system did not answer.");
        }

        long toolCalls() {
            return toolCalls.get();
        }
    }

    /** 503 answers met by {@link #send} (a service could not verify the key in time) and asked again. */
    static final AtomicInteger UNAVAILABLE = new AtomicInteger();

    /**
     * Sends the request with the bearer token; a 503 (the service could not have the key verified by the gateway in
     * time, as on a starved machine) is asked again every 500 ms for up to 30 s, like {@code EndToEndTest} does.
     */
    static HttpResponse<String> send(HttpRequest.Builder request, String bearer) throws Exception {
        var built = request.header("Authorization", "Bearer " + bearer).timeout(Duration.ofSeconds(30)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var answer = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 503 || System.nanoTime() > deadline) {
                return answer;
            }
            UNAVAILABLE.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    static List<String> codesOf(List<RealtimeAudioClient.Frame> frames) {
        return frames.stream().map(f -> f.json().path("error").path("code").asText()).toList();
    }
}
