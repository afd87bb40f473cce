package io.voicecoach.transcription.stt;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server speaking Deepgram's streaming wire format ({@code GET /v1/listen} upgraded to a WebSocket,
 * {@code Authorization: Token <key>}): binary audio in; {@code Results} JSON out (interim while audio arrives,
 * {@code is_final}/{@code speech_final} per segment); {@code {"type":"CloseStream"}} flushes the last segment, sends
 * {@code Metadata} and closes with 1000. Each connection takes the next scripted {@link Script} (the last repeats).
 */
public final class DeepgramStub implements AutoCloseable {

    public static final String KEY = "dg-test-key";

    /**
     * @param segments    what the "speaker" says; segment i is finalised after {@code framesPerSegment} frames,
     *                    the last one on CloseStream
     * @param closeCode   0, or the close code sent after the first audio frame (1008 DATA-0000, 1011 NET-0000)
     * @param silent      accept the stream and never send anything, nor close
     */
    public record Script(List<String> segments, int framesPerSegment, int closeCode, String closeReason, boolean silent) {
        public static Script says(int framesPerSegment, String... segments) {
            return new Script(List.of(segments), framesPerSegment, 0, null, false);
        }

        public static Script closesWith(int code, String reason) {
            return new Script(List.of(), 1, code, reason, false);
        }

        public static Script neverAnswers() {
            return new Script(List.of(), 1, 0, null, true);
        }
    }

    /** What one connection sent: the request's query and headers, audio bytes, text messages. */
    public record Connection(String query, Map<String, String> headers, AtomicInteger audioBytes, List<String> texts) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private volatile Script last = Script.says(2, "");
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    public DeepgramStub() {
        try {
            server = vertx.createHttpServer().requestHandler(request -> {
                if (!("Token " + KEY).equals(request.getHeader("Authorization"))) {
                    request.response().setStatusCode(401).putHeader("dg-error", "Invalid credentials.")
                            .putHeader("Content-Type", "application/json")
                            .end("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\",\"request_id\":\"stub\"}");
                    return;
                }
                var headers = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
                request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
                var connection = new Connection(request.query(), headers, new AtomicInteger(), new CopyOnWriteArrayList<>());
                connections.add(connection);
                var script = next();
                request.toWebSocket().onSuccess(ws -> serve(ws, script, connection));
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Deepgram stub", e);
        }
    }

    public String url() {
        return "ws://127.0.0.1:" + server.actualPort() + "/v1/listen";
    }

    public DeepgramStub script(Script... next) {
        scripts.clear();
        scripts.addAll(List.of(next));
        return this;
    }

    public List<Connection> connections() {
        return connections;
    }

    private Script next() {
        var script = scripts.poll();
        if (script == null) {
            return last;
        }
        last = script;
        return script;
    }

    private void serve(ServerWebSocket ws, Script script, Connection connection) {
        var frames = new AtomicInteger();
        var finalised = new AtomicInteger(); // segments already sent as final
        var seconds = new double[]{0};       // audio received so far
        ws.binaryMessageHandler(audio -> {
            connection.audioBytes().addAndGet(audio.length());
            seconds[0] += audio.length() / 32000.0;
            if (script.silent()) {
                return;
            }
            if (script.closeCode() != 0) {
                ws.close((short) script.closeCode(), script.closeReason());
                return;
            }
            int frame = frames.incrementAndGet();
            int current = finalised.get();
            if (current >= script.segments().size()) {
                return;
            }
            boolean endOfSegment = frame % script.framesPerSegment() == 0 && current < script.segments().size() - 1;
            if (endOfSegment) {
                ws.writeTextMessage(results(script.segments().get(current), true, seconds[0]));
                finalised.incrementAndGet();
            } else {
                String[] words = script.segments().get(current).split(" ");
                int inSegment = frame % script.framesPerSegment();
                int heard = inSegment == 0 ? words.length : Math.min(words.length, inSegment);
                ws.writeTextMessage(results(String.join(" ", java.util.Arrays.copyOf(words, heard)), false, seconds[0]));
            }
        });
        ws.textMessageHandler(text -> {
            connection.texts().add(text);
            if (script.silent() || !text.replace(" ", "").contains("\"type\":\"CloseStream\"")) {
                return;
            }
            for (int i = finalised.get(); i < script.segments().size(); i++) {
                ws.writeTextMessage(results(script.segments().get(i), true, seconds[0]));
            }
            finalised.set(script.segments().size());
            ws.writeTextMessage("{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":\"stub\","
                    + "\"sha256\":\"0\",\"created\":\"2026-11-22T00:00:00.000Z\",\"duration\":" + seconds[0] + ",\"channels\":1}");
            ws.close((short) 1000, "");
        });
    }

    /** A {@code Results} message as Deepgram sends it (one channel, one alternative, word timings). */
    static String results(String transcript, boolean isFinal, double endSeconds) {
        String[] words = transcript.isBlank() ? new String[0] : transcript.split(" ");
        var json = new StringBuilder("[");
        double duration = Math.max(0.1, words.length * 0.3);
        double start = Math.max(0, endSeconds - duration);
        for (int i = 0; i < words.length; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"word\":\"%s\",\"start\":%.2f,\"end\":%.2f,\"confidence\":0.9,\"punctuated_word\":\"%s\"}",
                    words[i].toLowerCase(Locale.ROOT), start + i * 0.3, start + i * 0.3 + 0.25, words[i]));
        }
        json.append("]");
        return String.format(Locale.ROOT, "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":%.2f,\"start\":%.2f,"
                        + "\"is_final\":%s,\"speech_final\":%s,\"channel\":{\"alternatives\":[{\"transcript\":\"%s\","
                        + "\"confidence\":%.2f,\"words\":%s}]},\"metadata\":{\"request_id\":\"stub\",\"model_info\":"
                        + "{\"name\":\"general\",\"version\":\"2024-01-26\",\"arch\":\"nova-2\"},\"model_uuid\":\"stub\"},"
                        + "\"from_finalize\":false}",
                duration, start, isFinal, isFinal, transcript, isFinal ? 0.95 : 0.6, json);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
