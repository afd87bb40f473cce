package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Realtime WebSocket of a simulated call. It is ready once the gateway answered {@code session.created} and then
 * the leg's {@code session.update} with {@code session.updated}; every later server frame goes to the
 * {@link Receiver} with the nanosecond it arrived. Sends never overlap: a frame that finds the previous one still being
 * written is chained behind it and counted as backlog.
 */
final class Leg implements WebSocket.Listener {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the call does with what the gateway sends. Called from the WebSocket's threads. */
    interface Receiver {
        void onFrame(Leg leg, JsonNode frame, long nanos);

        /** The connection ended; {@code code} 1000 is a normal close. */
        void onClosed(Leg leg, int code, String reason);
    }

    final String role;
    private final Receiver receiver;
    private final Counters counters;
    private final String sessionUpdate;
    private final CompletableFuture<Leg> ready = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean open;
    private volatile boolean updateSent;
    private volatile String sessionId;
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

    private Leg(String role, String sessionUpdate, Receiver receiver, Counters counters) {
        this.role = role;
        this.sessionUpdate = sessionUpdate;
        this.receiver = receiver;
        this.counters = counters;
    }

    /** Connects with {@code Authorization: Bearer apiKey}; completes when the session is set up. */
    static CompletableFuture<Leg> open(HttpClient http, URI realtime, String apiKey, String role, String sessionUpdate,
                                       Receiver receiver, Counters counters) {
        var leg = new Leg(role, sessionUpdate, receiver, counters);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .buildAsync(realtime, leg)
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        leg.ready.completeExceptionally(refusal(failure));
                    }
                });
        return leg.ready;
    }

    private static Throwable refusal(Throwable failure) {
        var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException refused) {
            String body = refused.getResponse().body() instanceof String text ? " " + text : "";
            return new IllegalStateException("HTTP " + refused.getResponse().statusCode() + body, cause);
        }
        return cause;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        open = true;
        webSocket.request(1);
    }

    /** Sends one text frame after the ones before it. */
    synchronized void send(String text) {
        if (!open) {
            counters.framesDropped.increment();
            return;
        }
        if (!inFlight.isDone()) {
            counters.sendBacklog.increment();
        }
        inFlight = inFlight.thenCompose(ignored -> socket.sendText(text, true))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        open = false;
                        counters.framesDropped.increment();
                    }
                });
    }

    boolean isOpen() {
        return open;
    }

    String sessionId() {
        return sessionId;
    }

    /** A normal close (1000) once what was queued is written: the gateway ends the session at once. */
    synchronized void close() {
        if (socket == null || !open) {
            return;
        }
        open = false;
        inFlight.whenComplete((ok, failure) -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "call ended"));
    }

    void abort() {
        open = false;
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long nanos = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                handle(JSON.readTree(text), nanos);
            } catch (IOException e) {
                counters.error("unreadable_frame", text.length() > 200 ? text.substring(0, 200) : text);
            }
        }
        webSocket.request(1);
        return null;
    }

    private void handle(JsonNode frame, long nanos) {
        String type = frame.path("type").asText();
        if (!ready.isDone()) {
            if (type.equals("session.created") && !updateSent) {
                updateSent = true;
                sessionId = frame.path("session").path("id").asText(null);
                send(sessionUpdate);
                return;
            }
            if (type.equals("session.updated")) {
                ready.complete(this);
                return;
            }
            if (type.equals("error")) {
                ready.completeExceptionally(new IllegalStateException("session.update refused: " + frame));
                return;
            }
        }
        receiver.onFrame(this, frame, nanos);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        open = false;
        ready.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        receiver.onClosed(this, statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        open = false;
        ready.completeExceptionally(error);
        receiver.onClosed(this, -1, String.valueOf(error));
    }
}
