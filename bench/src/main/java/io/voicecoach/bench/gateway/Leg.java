package io.voicecoach.bench.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Realtime WebSocket of a call: joins the call with {@code session.update} ({@code voicecoach.call_id}, role) and
 * then sends one pre-built append frame per {@link CallAudio#FRAME_MS} when {@link #tick()} is called. Sends never
 * overlap: a frame that finds the previous one still in flight is chained behind it (the backlog shows in
 * {@link #backlog}).
 */
final class Leg implements WebSocket.Listener {

    static final AtomicLong FRAMES_SENT = new AtomicLong();
    static final AtomicLong ERRORS = new AtomicLong();
    static final AtomicLong BACKLOG = new AtomicLong();
    static volatile String lastError = "";

    private final List<String> frames;
    private int next;
    private final CompletableFuture<Void> created = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean open;
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

    private Leg(List<String> frames, int offset) {
        this.frames = frames;
        this.next = offset % frames.size();
    }

    static CompletableFuture<Leg> open(HttpClient http, URI uri, String apiKey, String callId, String role,
                                       List<String> frames, int offset) {
        var leg = new Leg(frames, offset);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .buildAsync(uri, leg)
                .thenCompose(ws -> {
                    leg.socket = ws;
                    leg.open = true;
                    return leg.created;
                })
                .thenCompose(ignored -> leg.socket.sendText("{\"type\":\"session.update\",\"session\":{\"type\":"
                        + "\"realtime\",\"voicecoach\":{\"call_id\":\"" + callId + "\",\"role\":\"" + role
                        + "\"}}}", true))
                .thenApply(ignored -> leg);
    }

    /** Sends the next frame of the loop. Called from one pacing thread. */
    synchronized void tick() {
        if (!open) {
            return;
        }
        var frame = frames.get(next);
        next = (next + 1) % frames.size();
        if (!inFlight.isDone()) {
            BACKLOG.incrementAndGet();
        }
        inFlight = inFlight.thenCompose(ignored -> socket.sendText(frame, true))
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        FRAMES_SENT.incrementAndGet();
                    } else {
                        open = false;
                    }
                });
    }

    boolean isOpen() {
        return open;
    }

    void close() {
        open = false;
        if (socket != null) {
            inFlight.whenComplete((ok, failure) -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done"));
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            var message = partial.toString();
            partial.setLength(0);
            if (message.contains("\"session.created\"")) {
                created.complete(null);
            } else if (message.contains("\"type\":\"error\"")) {
                ERRORS.incrementAndGet();
                lastError = message;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        open = false;
        created.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        open = false;
        created.completeExceptionally(error);
    }
}
