package io.voicecoach.transcription.tts;

import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentSpeechEvent;
import io.voicecoach.events.AgentSpeechFailed;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The speech of one text item of a reply: its pieces ({@link SentenceChunker}) synthesized one after the other on
 * the stage's pool, each cut into {@code agent.speech.audio_delta} chunks numbered across the item, then one
 * {@code agent.speech.audio_done} (or, when the engine failed, an {@code agent.speech.failed} and nothing more).
 * {@link #finished()} completes once everything is on the broker.
 */
final class ItemSpeech {

    private static final Logger LOG = Logger.getLogger(ItemSpeech.class);

    /** Who the item is for and how it is spoken ({@code speed}: times the engine's normal pace). */
    record Target(String tenantId, String sessionId, String responseId, String itemId, SpeechEngine engine,
                  String engineName, String voice, int sampleRate, double speed) {
    }

    private final Target target;
    private final TtsConfig config;
    private final SpeechPublisher publisher;
    private final Executor pool;
    private final SentenceChunker chunker;
    /** False when the item's first deltas were not seen (its reply began before this instance's offset). */
    private final boolean streaming;
    private final List<CompletionStage<Void>> published = new ArrayList<>();
    private final StringBuilder spoken = new StringBuilder();
    private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private int chunks;
    private long durationMs;
    private boolean ended;
    private boolean failed;
    private volatile boolean stopped;

    ItemSpeech(Target target, boolean streaming, TtsConfig config, SpeechPublisher publisher, Executor pool) {
        this.target = target;
        this.streaming = streaming;
        this.config = config;
        this.publisher = publisher;
        this.pool = pool;
        this.chunker = new SentenceChunker(config.clauseMinChars(), config.maxChunkChars());
    }

    void delta(String delta) {
        if (streaming && !ended && delta != null) {
            chunker.add(delta).forEach(this::speak);
        }
    }

    /** The item's whole text: speaks what is left and ends the item. */
    void done(String text) {
        if (ended) {
            return;
        }
        if (streaming) {
            String rest = chunker.finish();
            if (!rest.isBlank()) {
                speak(rest);
            }
        } else if (text != null) {
            SentenceChunker.pieces(text, config.clauseMinChars(), config.maxChunkChars()).forEach(this::speak);
        }
        end();
    }

    /** The reply ended before the item's text did (cancelled, failed): what was queued is not spoken. */
    void cancel() {
        if (!ended) {
            stopped = true;
            end();
        }
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    private void speak(String piece) {
        chain = chain.thenRunAsync(() -> synthesize(piece), pool);
    }

    private void end() {
        ended = true;
        chain.thenRun(this::publishDone)
                .thenCompose(ok -> CompletableFuture.allOf(published.stream().map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new)))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "speech of item %s of session %s not fully published", target.itemId(),
                                target.sessionId());
                        finished.completeExceptionally(failure);
                    } else {
                        finished.complete(null);
                    }
                });
    }

    private void synthesize(String piece) {
        if (stopped) {
            return;
        }
        String words = piece.strip();
        SpeechEngine.Speech speech;
        try {
            if (target.engine() == null) {
                throw new SpeechException(SpeechException.UNAVAILABLE, "no speech engine " + target.engineName()
                        + " on this instance");
            }
            speech = target.engine().synthesize(words, target.voice(), target.speed());
        } catch (SpeechException e) {
            fail(e.code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail(SpeechException.ERROR, e.toString());
            return;
        }
        int rate = target.sampleRate();
        byte[] pcm = Pcm.resample(speech.pcm(), speech.sampleRate(), rate);
        int frameBytes = (int) (config.chunkDuration().toMillis() * rate / 1000) * 2;
        boolean first = true;
        for (byte[] frame : Pcm.frames(pcm, frameBytes)) {
            long frameMs = Pcm.millis(frame.length, rate);
            var delta = new AgentAudioDelta(target.responseId(), target.itemId(), chunks, first ? piece : "",
                    rate, durationMs, frameMs, Base64.getEncoder().encodeToString(frame));
            publish(Integer.toString(chunks), delta);
            chunks++;
            durationMs += frameMs;
            first = false;
        }
        spoken.append(piece);
    }

    private void fail(String code, String message) {
        LOG.warnf("speech of item %s of session %s failed (%s): %s", target.itemId(), target.sessionId(), code,
                message);
        stopped = true;
        publish("failed", new AgentSpeechFailed(target.responseId(), target.itemId(), chunks, code, message,
                target.engineName()));
        failed = true;
    }

    private void publishDone() {
        if (!failed) {
            publish("done", new AgentAudioDone(target.responseId(), target.itemId(), chunks, spoken.toString(),
                    durationMs, target.engineName(), target.voice()));
        }
    }

    private void publish(String part, AgentSpeechEvent payload) {
        published.add(publisher.publish(target.tenantId(), target.sessionId(),
                SpeechPublisher.eventId(target.sessionId(), target.responseId(), target.itemId(), part), payload));
    }
}
