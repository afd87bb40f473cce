package io.voicecoach.transcription.stt.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.RecognitionResult.WordTiming;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Deepgram stream for one utterance. {@code Results} with {@code is_final=false} replace the interim text;
 * {@code is_final=true} append a finished segment. {@link #finish()} sends {@code CloseStream} and waits for the
 * server's normal close (after its last {@code Results} and {@code Metadata}). A close with another code fails the
 * utterance: 1008 (DATA-0000, not decodable audio) as {@code audio_invalid}, anything else as {@code engine_error}.
 */
final class DeepgramRecognizer implements Recognizer {

    private static final Logger LOG = Logger.getLogger(DeepgramRecognizer.class);
    static final int NORMAL = 1000;
    static final int POLICY_VIOLATION = 1008;

    private record Segment(String text, double confidence, List<WordTiming> words) {
    }

    private final Duration responseTimeout;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<Segment> finals = new ArrayList<>();
    private final StringBuilder message = new StringBuilder();
    private Segment interim;
    private WebSocket socket;

    DeepgramRecognizer(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    void connected(WebSocket socket) {
        this.socket = socket;
    }

    WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    String text = message.toString();
                    message.setLength(0);
                    onMessage(text);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
                if (status == NORMAL) {
                    closed.complete(null);
                } else {
                    String code = status == POLICY_VIOLATION ? "audio_invalid" : "engine_error";
                    closed.completeExceptionally(new SttException(code, "Deepgram closed the stream with " + status
                            + (reason == null || reason.isBlank() ? "" : " " + reason)));
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(new SttException("engine_unreachable", "Deepgram stream broke: " + error, error));
            }
        };
    }

    private synchronized void onMessage(String text) {
        try {
            JsonNode json = EventJson.MAPPER.readTree(text);
            if (!"Results".equals(json.path("type").asText())) {
                return; // Metadata, SpeechStarted, UtteranceEnd
            }
            JsonNode best = json.path("channel").path("alternatives").path(0);
            double start = json.path("start").asDouble();
            var words = new ArrayList<WordTiming>();
            for (JsonNode word : best.path("words")) {
                words.add(new WordTiming(word.path("word").asText(), millis(word.path("start").asDouble()),
                        millis(word.path("end").asDouble()), word.path("confidence").asDouble()));
            }
            var segment = new Segment(best.path("transcript").asText("").strip(), best.path("confidence").asDouble(), words);
            if (json.path("is_final").asBoolean(false)) {
                if (!segment.text().isEmpty()) {
                    finals.add(segment);
                }
                interim = null;
            } else {
                interim = segment;
            }
            LOG.tracef("deepgram results at %.2f s: final=%s [%s]", start, json.path("is_final").asBoolean(), segment.text());
        } catch (IOException | RuntimeException e) {
            LOG.debugf("ignoring a Deepgram message that is not JSON: %s", text);
        }
    }

    @Override
    public void accept(byte[] pcm) {
        failIfClosed();
        if (pcm.length == 0) {
            return; // an empty binary frame would make Deepgram close the stream
        }
        send(socket.sendBinary(ByteBuffer.wrap(pcm), true));
    }

    @Override
    public synchronized Optional<RecognitionResult> partial() {
        var segments = new ArrayList<>(finals);
        if (interim != null && !interim.text().isEmpty()) {
            segments.add(interim);
        }
        return segments.isEmpty() ? Optional.empty() : Optional.of(result(segments));
    }

    @Override
    public RecognitionResult finish() throws Exception {
        failIfClosed();
        send(socket.sendText("{\"type\":\"CloseStream\"}", true));
        try {
            closed.get(responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SttException("engine_timeout", "Deepgram did not close the stream within " + responseTimeout + " of CloseStream");
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
        synchronized (this) {
            return finals.isEmpty() ? RecognitionResult.empty() : result(finals);
        }
    }

    @Override
    public void close() {
        var current = socket;
        if (current != null && !current.isOutputClosed()) {
            current.sendClose(NORMAL, "").exceptionally(e -> null);
        }
        if (current != null) {
            current.abort();
        }
        closed.completeExceptionally(new SttException("engine_error", "stream closed by the client"));
    }

    /** Throws why the server closed the stream, if it did (one look at the future: onClose may complete it any time). */
    private void failIfClosed() {
        if (!closed.isDone()) {
            return;
        }
        try {
            closed.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof SttException stt ? stt
                    : new SttException("engine_error", "Deepgram stream failed: " + e.getCause(), e.getCause());
        }
        throw new SttException("engine_error", "Deepgram closed the stream before the end of the utterance");
    }

    private void send(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SttException("engine_error", "interrupted while streaming to Deepgram");
        } catch (TimeoutException e) {
            throw new SttException("engine_timeout", "Deepgram did not take audio within " + responseTimeout);
        } catch (ExecutionException e) {
            failIfClosed();
            throw new SttException("engine_unreachable", "cannot stream to Deepgram: " + e.getCause(), e.getCause());
        }
    }

    private static RecognitionResult result(List<Segment> segments) {
        var text = new StringBuilder();
        var words = new ArrayList<WordTiming>();
        double confidence = 0;
        for (var segment : segments) {
            text.append(text.isEmpty() ? "" : " ").append(segment.text());
            words.addAll(segment.words());
            confidence += segment.confidence();
        }
        return new RecognitionResult(text.toString(), Math.max(0, Math.min(1, confidence / segments.size())), List.copyOf(words));
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
