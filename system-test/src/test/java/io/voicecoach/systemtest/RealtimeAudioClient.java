package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A Realtime WebSocket client that streams audio the way a softphone does: {@code input_audio_buffer.append} frames
 * of PCM16 24 kHz at real-time pace. Keeps every server frame with the time it arrived.
 */
final class RealtimeAudioClient implements AutoCloseable {

    static final int RATE = 24_000;
    static final int FRAME_MS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A server frame and when it arrived ({@link System#nanoTime()}). */
    record Frame(JsonNode json, long receivedAtNanos) {
        String type() {
            return json.path("type").asText();
        }
    }

    private final WebSocket socket;
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private RealtimeAudioClient(URI url, String apiKey) {
        try {
            socket = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + apiKey)
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(url, new Listener()).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + url, e);
        }
    }

    static RealtimeAudioClient connect(String realtimeUrl, String apiKey) {
        return new RealtimeAudioClient(URI.create(realtimeUrl), apiKey);
    }

    /** Session id from {@code session.created}. */
    String awaitSessionId() {
        return awaitFrame(f -> f.type().equals("session.created"), Duration.ofSeconds(10))
                .json().path("session").path("id").asText();
    }

    /** {@code session.update} with PCM 24 kHz input and server VAD at the Realtime defaults; waits for the answer. */
    void configureServerVad(String callId) {
        var frame = JSON.createObjectNode().put("type", "session.update").put("event_id", eventId());
        var session = frame.putObject("session");
        var input = session.putObject("audio").putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", RATE);
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 500);
        session.putObject("voicecoach").put("call_id", callId).put("rep_id", "rep_e2e").put("mode", "coach");
        send(frame);
        awaitFrame(f -> f.type().equals("session.updated"), Duration.ofSeconds(10));
    }

    /** Streams {@code pcm} (24 kHz) on {@code track} in {@value #FRAME_MS} ms frames, each sent when its time comes. */
    void streamRealTime(String track, byte[] pcm) {
        int frameBytes = RATE / 1000 * FRAME_MS * 2;
        long start = System.nanoTime();
        for (int from = 0, n = 0; from < pcm.length; from += frameBytes, n++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos((long) n * FRAME_MS);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            var frame = JSON.createObjectNode().put("type", "input_audio_buffer.append").put("event_id", eventId())
                    .put("audio", Base64.getEncoder().encodeToString(
                            Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + frameBytes))));
            frame.putObject("voicecoach").put("track", track);
            send(frame);
        }
    }

    void send(ObjectNode frame) {
        try {
            socket.sendText(JSON.writeValueAsString(frame), true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + frame.path("type").asText(), e);
        }
    }

    Frame awaitFrame(Predicate<Frame> match, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> frames.stream().anyMatch(match));
        return frames.stream().filter(match).findFirst().orElseThrow();
    }

    List<Frame> frames(String type) {
        return frames.stream().filter(f -> f.type().equals(type)).toList();
    }

    List<Frame> frames() {
        return List.copyOf(frames);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    private static String eventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    frames.add(new Frame(JSON.readTree(text), now));
                } catch (IOException e) {
                    problems.add("unreadable frame: " + text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                problems.add("closed by the gateway: " + statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            problems.add("WebSocket error: " + error);
        }
    }
}
