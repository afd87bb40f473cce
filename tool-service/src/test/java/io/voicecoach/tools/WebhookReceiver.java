package io.voicecoach.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tenant's webhook endpoint, as a receiver should write one: it checks {@code X-VoiceCoach-Signature} with the
 * tool's secret (independently of the service's code), refuses timestamps outside a 300 s replay window (401), and
 * answers from a script: the next {@link Answer} for each request, the last one repeated.
 */
final class WebhookReceiver implements AutoCloseable {

    static final long REPLAY_WINDOW_SECONDS = 300;
    private static final String TRICKLE = "trickle";

    /**
     * @param retryAfter  the {@code Retry-After} header to send, or null
     * @param contentType the {@code Content-Type} header to send, or null for none
     */
    record Answer(int status, String body, long delayMs, String retryAfter, String contentType) {
        private static final String JSON = "application/json";

        Answer(int status, String body, long delayMs) {
            this(status, body, delayMs, null, JSON);
        }

        Answer(int status, String body, long delayMs, String retryAfter) {
            this(status, body, delayMs, retryAfter, JSON);
        }

        static Answer ok(String json) {
            return new Answer(200, json, 0);
        }

        static Answer status(int status) {
            return new Answer(status, "{\"error\":\"scripted " + status + "\"}", 0);
        }

        static Answer slow(long delayMs) {
            return new Answer(200, "{\"late\":true}", delayMs);
        }

        /** 200 and its headers at once, then the body one byte every {@code delayMs}, for about 30 s. */
        static Answer trickle(long delayMs) {
            return new Answer(200, TRICKLE, delayMs);
        }

        static Answer unavailable(String retryAfter) {
            return new Answer(503, "{\"error\":\"busy\"}", 0, retryAfter);
        }
    }

    /** A request as received (and when), and whether its signature and timestamp passed. */
    record Received(Map<String, List<String>> headers, byte[] body, boolean verified, long atNanos) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile List<Answer> script = List.of(Answer.ok("{}"));
    private volatile String secret = "";
    private int answered;

    WebhookReceiver() throws IOException {
        this("127.0.0.1");
    }

    /** Listening on {@code bindAddress} (any of 127.0.0.0/8 on Linux). */
    WebhookReceiver(String bindAddress) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int port() {
        return server.getAddress().getPort();
    }

    void secret(String secret) {
        this.secret = secret;
    }

    synchronized void script(Answer... answers) {
        this.script = List.of(answers);
        this.answered = 0;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Receiver-side check: {@code v1=} hex HMAC-SHA256 over "timestamp.body", timestamp within the window. */
    static boolean verify(String secret, String timestamp, String signature, byte[] body, Instant now) {
        if (timestamp == null || signature == null || !signature.startsWith("v1=")) {
            return false;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - sentAt) > REPLAY_WINDOW_SECONDS) {
            return false;
        }
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(signature.substring(3));
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        boolean verified = "POST".equals(exchange.getRequestMethod()) && verify(secret,
                headers.getFirst("X-VoiceCoach-Timestamp"), headers.getFirst("X-VoiceCoach-Signature"), body,
                Instant.now());
        received.add(new Received(Map.copyOf(headers), body, verified, System.nanoTime()));
        if (!verified) {
            respond(exchange, 401, "{\"error\":\"bad signature\"}", null);
            return;
        }
        Answer answer;
        synchronized (this) {
            answer = script.get(Math.min(answered++, script.size() - 1));
        }
        if (answer.body() == TRICKLE) {
            trickle(exchange, answer.delayMs());
            return;
        }
        if (answer.delayMs() > 0) {
            try {
                Thread.sleep(answer.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        respond(exchange, answer);
    }

    /** A slow endpoint: headers at once, then a JSON body a byte at a time, 30 s in all. */
    private static void trickle(HttpExchange exchange, long delayMs) {
        long bytes = 30_000 / Math.max(1, delayMs);
        String body = "{\"slow\": \"" + "x".repeat((int) Math.max(0, bytes - 13)) + "\"}";
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try (var out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, body.length());
            for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
                Thread.sleep(delayMs);
            }
        } catch (IOException e) {
            // the caller hung up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        respond(exchange, answer.status(), answer.body(), answer.retryAfter(), answer.contentType());
    }

    private static void respond(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        respond(exchange, status, body, retryAfter, Answer.JSON);
    }

    private static void respond(HttpExchange exchange, int status, String body, String retryAfter, String contentType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        try {
            if (status == 204 || status == 304) { // no body, whatever the script says
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the caller gave up (timeout); nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
