package io.voicecoach.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A Realtime WebSocket client for tests: collects every server frame and waits (bounded) for the expected ones. */
final class RealtimeClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile int closeCode = -1;
    private volatile String closeReason;

    private RealtimeClient(URI uri, String apiKey) {
        this(uri, builder -> {
            if (apiKey != null) {
                builder.header("Authorization", "Bearer " + apiKey);
            }
        });
    }

    private RealtimeClient(URI uri, Consumer<WebSocket.Builder> options) {
        this(HTTP, uri, options);
    }

    private RealtimeClient(HttpClient http, URI uri, Consumer<WebSocket.Builder> options) {
        var builder = http.newWebSocketBuilder().connectTimeout(WAIT);
        options.accept(builder);
        this.socket = builder.buildAsync(uri, new Collector()).join();
    }

    static RealtimeClient connect(URI uri, String apiKey) {
        var client = new RealtimeClient(uri, apiKey);
        client.awaitType("session.created");
        return client;
    }

    /** Connects with whatever the options set (headers, subprotocols); the URI may carry a query. */
    static RealtimeClient connectWith(URI uri, Consumer<WebSocket.Builder> options) {
        var client = new RealtimeClient(uri, options);
        client.awaitType("session.created");
        return client;
    }

    /** Connects through {@code http} (e.g. one that trusts a test certificate). */
    static RealtimeClient connect(HttpClient http, URI uri, String apiKey) {
        var client = new RealtimeClient(http, uri, builder -> builder.header("Authorization", "Bearer " + apiKey));
        client.awaitType("session.created");
        return client;
    }

    /** The subprotocol the server chose, empty if none. */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Drops the TCP connection without a close frame, as a network failure would. */
    void abort() {
        socket.abort();
    }

    /** Stops reading from the socket: the server's frames pile up in the network buffers. */
    void pauseReading() {
        paused = true;
    }

    void resumeReading() {
        paused = false;
        socket.request(Long.MAX_VALUE);
    }

    /** The close code the server sent, or -1. */
    int closeCode() {
        return closeCode;
    }

    /** The HTTP status of a refused upgrade; fails if the upgrade succeeds. */
    static int refusal(URI uri, String apiKey) {
        return refusalWith(uri, builder -> {
            if (apiKey != null) {
                builder.header("Authorization", "Bearer " + apiKey);
            }
        });
    }

    /** The HTTP status of a refused upgrade; fails if the upgrade succeeds. */
    static int refusalWith(URI uri, Consumer<WebSocket.Builder> options) {
        try {
            new RealtimeClient(uri, options).close();
            throw new AssertionError("the upgrade was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    String sessionId() {
        return awaitType("session.created").path("session").path("id").asText();
    }

    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** One message as several WebSocket frames, one per part. */
    /** Sends one message in frames; stops when the server closed the connection part way (a message too large). */
    void sendFragmented(String... parts) {
        sendFragmented(socket, parts);
    }

    /** {@link #sendFragmented(String...)} on any socket (the Twilio client's too). */
    static void sendFragmented(WebSocket socket, String... parts) {
        for (int i = 0; i < parts.length; i++) {
            try {
                socket.sendText(parts[i], i == parts.length - 1).join();
            } catch (java.util.concurrent.CompletionException e) {
                if (socket.isOutputClosed()) {
                    return;
                }
                throw e;
            }
        }
    }

    /** The close frame's reason text (after {@link #awaitCloseCode()}). */
    String closeReason() {
        return closeReason;
    }

    int awaitCloseCode() {
        await().atMost(WAIT).until(() -> closeCode >= 0);
        return closeCode;
    }

    void send(Object event) {
        try {
            send(JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    JsonNode awaitType(String type) {
        return awaitFrame(frame -> type.equals(frame.path("type").asText()));
    }

    JsonNode awaitFrame(Predicate<JsonNode> match) {
        await().atMost(WAIT).until(() -> frames.stream().anyMatch(match));
        return frames.stream().filter(match).findFirst().orElseThrow();
    }

    /** Waits until {@code count} frames of the type arrived and returns the last of them. */
    JsonNode awaitNth(String type, int count) {
        await().atMost(WAIT).until(() -> ofType(type).size() >= count);
        return ofType(type).get(count - 1);
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(frame -> type.equals(frame.path("type").asText())).toList();
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("the server sent invalid JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode = statusCode;
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
        }
    }
}
