package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;

/**
 * Twilio's side of a Media Stream with a caller on the line, for the system tests. Like Twilio it sends
 * {@code connected}, {@code start}, then one inbound {@code media} frame (160 mu-law bytes, 20 ms) every 20 ms for as
 * long as the call lasts (line silence when the caller says nothing), and {@code stop}. It plays the gateway's
 * {@code media} in real time, one after the other from when each arrives, echoes each {@code mark} once the audio
 * sent before it has played, and on {@code clear} drops what has not played and echoes the pending marks at once.
 */
final class TwilioCaller implements AutoCloseable {

    static final int RATE = 8000;
    private static final int FRAME_BYTES = 160;
    private static final long FRAME_NANOS = 20_000_000L;
    private static final byte LINE_SILENCE = (byte) 0xFF;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A frame the gateway wrote, and when it arrived ({@link System#nanoTime()}). */
    record Received(JsonNode frame, long atNanos) {
        String event() {
            return frame.path("event").asText();
        }

        String markName() {
            return frame.path("mark").path("name").asText();
        }
    }

    private record PendingMark(String name, ScheduledFuture<?> echo) {
    }

    final String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
    final String streamSid = "MZ" + UUID.randomUUID().toString().replace("-", "");
    private final WebSocket socket;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> echoed = new CopyOnWriteArrayList<>();
    private final List<String> cleared = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<byte[]> speech = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastSpeechFrameNanos = new AtomicLong();
    private final ScheduledExecutorService player = Executors.newSingleThreadScheduledExecutor();
    private final List<PendingMark> pendingMarks = new ArrayList<>();
    private final Thread line;
    private final StringBuilder partial = new StringBuilder();
    private long playedUntilNanos;
    private int sequence;
    private volatile boolean onTheLine = true;

    private TwilioCaller(URI uri) {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    arrived(partial.toString(), System.nanoTime());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
        line = Thread.ofPlatform().daemon().name("twilio-line-" + callSid.substring(2, 10)).unstarted(this::talk);
    }

    /** Calls {@code uri} (the gateway's {@code /v1/twilio/media}) with these {@code customParameters}. */
    static TwilioCaller call(URI uri, Map<String, String> customParameters) {
        var caller = new TwilioCaller(uri);
        caller.send(Map.of("event", "connected", "protocol", "Call", "version", "1.0.0"));
        caller.send(Map.of("event", "start", "sequenceNumber", caller.nextSequence(), "streamSid", caller.streamSid,
                "start", Map.of("accountSid", "AC0123456789abcdef0123456789abcdef", "streamSid", caller.streamSid,
                        "callSid", caller.callSid, "tracks", List.of("inbound"), "customParameters", customParameters,
                        "mediaFormat", Map.of("encoding", "audio/x-mulaw", "sampleRate", RATE, "channels", 1))));
        caller.line.start();
        return caller;
    }

    /**
     * Says {@code pcm} (PCM16 LE mono 8 kHz) on the line in real time and returns when its last frame was sent: the
     * end of the caller's speech ({@link System#nanoTime()}).
     */
    long say(byte[] pcm) {
        var ulaw = ulaw(pcm);
        long before = lastSpeechFrameNanos.get();
        for (int at = 0; at < ulaw.length; at += FRAME_BYTES) {
            var frame = new byte[FRAME_BYTES];
            java.util.Arrays.fill(frame, LINE_SILENCE);
            System.arraycopy(ulaw, at, frame, 0, Math.min(FRAME_BYTES, ulaw.length - at));
            speech.add(frame);
        }
        await().atMost(Duration.ofMillis(pcm.length / 16 + 10_000)).pollInterval(Duration.ofMillis(5))
                .until(() -> speech.isEmpty() && lastSpeechFrameNanos.get() != before);
        return lastSpeechFrameNanos.get();
    }

    /** Every frame the gateway wrote so far, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> received(String event) {
        return received.stream().filter(r -> r.event().equals(event)).toList();
    }

    /** The marks echoed so far, in order. */
    List<String> echoedMarks() {
        return List.copyOf(echoed);
    }

    /** The marks whose audio a {@code clear} dropped before it played (echoed at the clear). */
    List<String> clearedMarks() {
        return List.copyOf(cleared);
    }

    /** True when every mark the gateway sent has been echoed (its audio played, or cleared). */
    synchronized boolean playedOut() {
        return pendingMarks.isEmpty() && received("mark").size() == echoed.size();
    }

    /** Ends the stream as Twilio does when the call hangs up. */
    void hangUp() {
        onTheLine = false;
        try {
            line.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(Map.of("event", "stop", "sequenceNumber", nextSequence(), "streamSid", streamSid,
                "stop", Map.of("accountSid", "AC0123456789abcdef0123456789abcdef", "callSid", callSid)));
    }

    @Override
    public void close() {
        onTheLine = false;
        player.shutdownNow();
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
    }

    /** The line: one inbound frame every 20 ms, the caller's speech when there is some, else line silence. */
    private void talk() {
        var silence = new byte[FRAME_BYTES];
        java.util.Arrays.fill(silence, LINE_SILENCE);
        long began = System.nanoTime();
        for (long chunk = 1; onTheLine; chunk++) {
            LockSupport.parkNanos(began + chunk * FRAME_NANOS - System.nanoTime());
            byte[] frame = speech.poll();
            send(Map.of("event", "media", "sequenceNumber", nextSequence(), "streamSid", streamSid,
                    "media", Map.of("track", "inbound", "chunk", Long.toString(chunk),
                            "timestamp", Long.toString(chunk * 20), "payload",
                            Base64.getEncoder().encodeToString(frame == null ? silence : frame))));
            if (frame != null) {
                lastSpeechFrameNanos.set(System.nanoTime());
            }
        }
    }

    private void arrived(String text, long atNanos) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (IOException e) {
            frame = JSON.getNodeFactory().textNode(text);
        }
        var at = new Received(frame, atNanos);
        synchronized (this) {
            switch (at.event()) {
                case "media" -> playedUntilNanos = Math.max(playedUntilNanos, atNanos) + FRAME_NANOS;
                case "mark" -> {
                    String name = at.markName();
                    long delay = Math.max(0, playedUntilNanos - atNanos);
                    var pending = new PendingMark[1];
                    pending[0] = new PendingMark(name, player.schedule(() -> echo(pending[0]), delay,
                            TimeUnit.NANOSECONDS));
                    pendingMarks.add(pending[0]);
                }
                case "clear" -> {
                    playedUntilNanos = atNanos;
                    for (var pending : List.copyOf(pendingMarks)) {
                        if (pending.echo().cancel(false)) {
                            cleared.add(pending.name());
                            player.execute(() -> echo(pending));
                        }
                    }
                }
                default -> {
                }
            }
            received.add(at);
        }
    }

    private void echo(PendingMark mark) {
        synchronized (this) {
            if (!pendingMarks.remove(mark)) {
                return;
            }
            echoed.add(mark.name());
        }
        send(Map.of("event", "mark", "sequenceNumber", nextSequence(), "streamSid", streamSid,
                "mark", Map.of("name", mark.name())));
    }

    private synchronized String nextSequence() {
        return Integer.toString(++sequence);
    }

    private void send(Map<String, ?> frame) {
        ObjectNode node = JSON.valueToTree(frame);
        synchronized (socket) {
            if (!socket.isOutputClosed()) {
                socket.sendText(node.toString(), true).join();
            }
        }
    }

    /** G.711 mu-law of PCM16 LE samples. */
    static byte[] ulaw(byte[] pcm) {
        var out = new byte[pcm.length / 2];
        for (int i = 0; i < out.length; i++) {
            int sample = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
            int sign = sample < 0 ? 0x80 : 0;
            int magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
            int exponent = 7;
            for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
                exponent--;
            }
            int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
            out[i] = (byte) ~(sign | (exponent << 4) | mantissa);
        }
        return out;
    }
}
