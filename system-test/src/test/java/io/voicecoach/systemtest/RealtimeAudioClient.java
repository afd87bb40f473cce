package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * <p>
 * {@link #connectResuming} makes it a client that survives its gateway instance: when the connection ends without
 * this client closing it, it reconnects (100 ms to 1 s apart, for up to {@value #RESUME_FOR_SECONDS} s) with
 * {@code ?session_id=<its session>&last_event_id=<the last replayable event it received>}, and goes on; sends wait for
 * the new connection. It never drops a frame it receives, repeated or not: the test counts the repeats.
 */
final class RealtimeAudioClient implements AutoCloseable {

    static final int RATE = 24_000;
    static final int FRAME_MS = 40;
    static final int RESUME_FOR_SECONDS = 60;
    /** Query parameter naming the client in the upgrade's request line (the balancer remembers it); the gateway ignores it. */
    static final String LABEL_PARAM = "voicecoach_client";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Close codes after which the session is over: idle timeout, session not found. */
    private static final java.util.Set<Integer> ENDED_BY_GATEWAY = java.util.Set.of(4001, 4004);
    /** Server events the gateway replays on a resume: the client names the last one it got. */
    private static final List<String> REPLAYABLE_PREFIXES = List.of("voicecoach.coaching.",
            "conversation.item.input_audio_transcription.", "response.");

    /** A server frame, when it arrived ({@link System#nanoTime()}), and on which connection (0 = the first). */
    record Frame(JsonNode json, long receivedAtNanos, int connection) {
        String type() {
            return json.path("type").asText();
        }
    }

    /** A connection that ended without this client closing it, and when (if) the client was back. */
    record Drop(int connection, int closeCode, String reason, Instant droppedAt, Instant resumedAt) {
    }

    private final URI baseUrl;
    private final String apiKey;
    private final String label;
    private final boolean resume;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Drop> drops = new CopyOnWriteArrayList<>();
    private volatile WebSocket socket;
    private volatile int connection;
    private volatile boolean closing;
    private volatile String sessionId;
    private volatile String lastEventId;
    private volatile String lastResumeError = "none yet";

    private RealtimeAudioClient(URI url, String apiKey, String label, boolean resume) {
        this.baseUrl = url;
        this.apiKey = apiKey;
        this.label = label;
        this.resume = resume;
        try {
            socket = open(url(null), 0).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + url, e);
        }
    }

    static RealtimeAudioClient connect(String realtimeUrl, String apiKey) {
        return new RealtimeAudioClient(URI.create(realtimeUrl), apiKey, null, false);
    }

    /** A client that resumes its session after a dropped connection; {@code label} names it in the request line. */
    static RealtimeAudioClient connectResuming(String realtimeUrl, String apiKey, String label) {
        return new RealtimeAudioClient(URI.create(realtimeUrl), apiKey, label, true);
    }

    private java.util.concurrent.CompletableFuture<WebSocket> open(URI url, int number) {
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + apiKey)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(url, new Listener(number));
    }

    private URI url(String resumeSession) {
        var query = new StringBuilder();
        if (label != null) {
            query.append(LABEL_PARAM).append('=').append(encode(label));
        }
        if (resumeSession != null) {
            query.append(query.isEmpty() ? "" : "&").append("session_id=").append(encode(resumeSession));
            if (lastEventId != null) {
                query.append("&last_event_id=").append(encode(lastEventId));
            }
        }
        return query.isEmpty() ? baseUrl : URI.create(baseUrl + "?" + query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Session id from {@code session.created}. */
    String awaitSessionId() {
        sessionId = awaitFrame(f -> f.type().equals("session.created"), Duration.ofSeconds(10))
                .json().path("session").path("id").asText();
        return sessionId;
    }

    /** {@code session.update} with PCM 24 kHz input and server VAD at the Realtime defaults; waits for the answer. */
    void configureServerVad(String callId) {
        configureServerVad(callId, "rep_e2e");
    }

    void configureServerVad(String callId, String repId) {
        var frame = JSON.createObjectNode().put("type", "session.update").put("event_id", eventId());
        var session = frame.putObject("session");
        var input = session.putObject("audio").putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", RATE);
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 500);
        session.putObject("voicecoach").put("call_id", callId).put("rep_id", repId).put("mode", "coach");
        send(frame);
        awaitFrame(f -> f.type().equals("session.updated"), Duration.ofSeconds(10));
    }

    /** {@code session.update} making this a voice-agent session; waits for the answer. */
    void configureAgent(String callId) {
        var frame = JSON.createObjectNode().put("type", "session.update").put("event_id", eventId());
        frame.putObject("session").putObject("voicecoach").put("call_id", callId).put("mode", "agent");
        send(frame);
        awaitFrame(f -> f.type().equals("session.updated"), Duration.ofSeconds(10));
    }

    /** Typed text on {@code track} as a {@code conversation.item.create} with the given item id. */
    void say(String itemId, String track, String text) {
        var frame = JSON.createObjectNode().put("type", "conversation.item.create").put("event_id", eventId());
        var item = frame.putObject("item").put("id", itemId).put("type", "message").put("role", "user");
        item.putArray("content").addObject().put("type", "input_text").put("text", text);
        frame.putObject("voicecoach").put("track", track);
        send(frame);
    }

    /**
     * Streams {@code pcm} (24 kHz) on {@code track} in {@value #FRAME_MS} ms frames, each sent when its time comes.
     * Time spent waiting for a resumed connection moves the schedule on (the audio is not sent faster to catch up).
     */
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
            long sendStart = System.nanoTime();
            send(frame);
            long sendTook = System.nanoTime() - sendStart;
            if (sendTook > TimeUnit.MILLISECONDS.toNanos(FRAME_MS)) {
                start += sendTook; // the connection was being resumed
            }
        }
    }

    void send(ObjectNode frame) {
        String text;
        try {
            text = JSON.writeValueAsString(frame);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESUME_FOR_SECONDS);
        while (true) {
            var current = socket;
            try {
                current.sendText(text, true).get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (!resume || closing || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot send " + frame.path("type").asText(), e);
                }
                // dropped: wait for the resumed connection, then send it there
                try {
                    await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                            .pollInterval(Duration.ofMillis(20)).until(() -> socket != current || closing);
                } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
                    throw new IllegalStateException("cannot send " + frame.path("type").asText() + ": session "
                            + sessionId + " not resumed within " + RESUME_FOR_SECONDS + " s; last attempt: "
                            + lastResumeError, timedOut);
                }
            }
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

    /** Connections that ended without this client closing them. */
    List<Drop> drops() {
        return List.copyOf(drops);
    }

    /** True while a dropped connection has not been resumed. */
    boolean resuming() {
        return drops.stream().anyMatch(d -> d.resumedAt() == null);
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    private static String eventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private synchronized void dropped(int number, int code, String reason) {
        if (drops.stream().anyMatch(d -> d.connection() == number)) {
            return; // onError and onClose of the same connection
        }
        if (resume && number != connection) {
            return; // a connection this client already replaced (the gateway closes it with 4003 session_resumed)
        }
        if (!resume || closing || ENDED_BY_GATEWAY.contains(code)) {
            problems.add("connection " + number + " closed by the gateway: " + code + " " + reason);
            return;
        }
        var drop = new Drop(number, code, reason, Instant.now(), null);
        drops.add(drop);
        Thread.ofVirtual().name("realtime-resume-" + label).start(() -> reconnect(drop));
    }

    /** Opens a resuming connection, trying every 100 ms to 1 s for up to {@value #RESUME_FOR_SECONDS} s. */
    private void reconnect(Drop drop) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESUME_FOR_SECONDS);
        long backoffMs = 100;
        String last = null;
        while (!closing && System.nanoTime() < deadline) {
            int number = drop.connection() + 1;
            try {
                connection = number;
                var resumed = open(url(sessionId), number).get(15, TimeUnit.SECONDS);
                socket = resumed;
                drops.set(drops.indexOf(drop), new Drop(drop.connection(), drop.closeCode(), drop.reason(),
                        drop.droppedAt(), Instant.now()));
                return;
            } catch (Exception e) {
                last = String.valueOf(e.getCause() != null ? e.getCause() : e);
                if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                    last = "HTTP " + refused.getResponse().statusCode() + " " + refused.getResponse().body();
                }
                lastResumeError = last;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(1_000, backoffMs * 2);
            }
        }
        problems.add("could not resume session " + sessionId + " within " + RESUME_FOR_SECONDS + " s: " + last);
    }

    private final class Listener implements WebSocket.Listener {
        private final int number;
        private final StringBuilder partial = new StringBuilder();

        Listener(int number) {
            this.number = number;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    var frame = new Frame(JSON.readTree(text), now, number);
                    frames.add(frame);
                    if (REPLAYABLE_PREFIXES.stream().anyMatch(frame.type()::startsWith)
                            && frame.json().hasNonNull("event_id")) {
                        lastEventId = frame.json().path("event_id").asText();
                    }
                } catch (IOException e) {
                    problems.add("unreadable frame: " + text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE || (resume && !closing)) {
                dropped(number, statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(number, -1, String.valueOf(error));
        }
    }
}
