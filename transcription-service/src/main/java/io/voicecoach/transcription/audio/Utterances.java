package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.voicecoach.events.Transcript;
import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.SessionRegistry;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttEngine;
import io.voicecoach.transcription.stt.SttException;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Routes audio chunks to one recognizer per (session, track, utterance), publishes throttled partials while the
 * utterance goes on and the final transcript on its commit chunk. A final that fails or times out is logged and
 * counted ({@code voicecoach_stt_utterances_total{outcome=...}}), and its records are acknowledged so a poison
 * utterance is not replayed forever.
 */
@ApplicationScoped
public class Utterances {

    private static final Logger LOG = Logger.getLogger(Utterances.class);

    private final Map<Utterance.Key, Utterance> open = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("utterance-sweeper").factory());
    private final EngineSelector engines;
    private final SessionRegistry sessions;
    private final TranscriptPublisher publisher;
    private final SttConfig config;
    private final MeterRegistry meters;
    private final Timer finishTime;

    public Utterances(EngineSelector engines, SessionRegistry sessions, TranscriptPublisher publisher, SttConfig config,
                      MeterRegistry meters) {
        this.engines = engines;
        this.sessions = sessions;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
        this.finishTime = Timer.builder("voicecoach.stt.finish")
                .description("From an utterance's commit chunk to its final transcript on the broker")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
        long sweepMs = Math.max(1000, config.idleTimeout().toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::dropIdle, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    /** Accepts a validated chunk; its record is acknowledged when the utterance ends. */
    public void accept(AudioChunk chunk, Message<?> record) {
        var key = new Utterance.Key(chunk.sessionId(), chunk.track(), chunk.utteranceId());
        // compute() keeps the idle sweeper from dropping the utterance between adding the record and queueing the work
        var utterance = open.compute(key, (k, current) -> {
            var u = current != null ? current : new Utterance(k, chunk.tenantId(), workers);
            u.add(chunk, record);
            u.then(() -> feed(u, chunk.pcm()));
            return u;
        });
        if (chunk.commit()) {
            open.remove(key);
            finish(utterance);
        }
    }

    public int openUtterances() {
        return open.size();
    }

    private void feed(Utterance utterance, byte[] pcm) {
        if (utterance.failure != null) {
            return;
        }
        try {
            if (utterance.recognizer == null) {
                utterance.recognizer = engine(utterance).open(request(utterance));
            }
            utterance.recognizer.accept(pcm);
            maybePublishPartial(utterance);
        } catch (RuntimeException e) {
            utterance.failure = e;
            LOG.debugf(e, "engine failed on audio of utterance %s of session %s", utterance.key.utteranceId(),
                    utterance.key.sessionId());
        }
    }

    private void maybePublishPartial(Utterance utterance) {
        if (!config.partials()) {
            return;
        }
        long now = System.nanoTime();
        if (utterance.partialsPublished > 0 && now - utterance.lastPartialNanos < config.partialInterval().toNanos()) {
            return;
        }
        utterance.recognizer.partial().filter(text -> !text.isBlank() && !text.equals(utterance.lastPartial))
                .ifPresent(text -> {
                    utterance.lastPartial = text;
                    utterance.lastPartialNanos = now;
                    int index = ++utterance.partialsPublished;
                    var transcript = transcript(utterance, text, false, 0);
                    publisher.publish(utterance.tenantId, utterance.key.sessionId(), nextSeq(utterance), transcript, index)
                            .whenComplete((ok, e) -> {
                                if (e != null) {
                                    LOG.warnf("partial of utterance %s not published: %s", utterance.key.utteranceId(), e);
                                }
                            });
                });
    }

    private void finish(Utterance utterance) {
        var started = System.nanoTime();
        var finished = new CompletableFuture<RecognitionResult>();
        utterance.then(() -> {
            try {
                if (utterance.failure != null) {
                    throw utterance.failure;
                }
                if (utterance.recognizer == null) {
                    throw new SttException("engine_error", "no recognizer for the utterance");
                }
                finished.complete(utterance.recognizer.finish());
            } catch (Throwable e) {
                finished.completeExceptionally(e);
            }
        });
        finished.orTimeout(config.finishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(result -> publisher.publish(utterance.tenantId, utterance.key.sessionId(),
                        nextSeq(utterance), transcript(utterance, result.text(), true, result.confidence()), 0))
                .whenComplete((ok, error) -> {
                    String engine = engineName(utterance);
                    if (error == null) {
                        finishTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        count(engine, "final");
                    } else {
                        var cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                        String outcome = cause instanceof TimeoutException ? "timeout"
                                : cause instanceof SttException stt ? stt.code() : "error";
                        count(engine, outcome);
                        LOG.errorf("utterance %s of session %s (track %s) not transcribed by %s: %s %s",
                                utterance.key.utteranceId(), utterance.key.sessionId(), utterance.key.track(), engine,
                                outcome, cause.getMessage());
                    }
                    close(utterance);
                    utterance.drainRecords().forEach(Message::ack);
                });
    }

    private void dropIdle() {
        long limit = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        List<Utterance> idle = new ArrayList<>();
        for (var key : List.copyOf(open.keySet())) {
            open.computeIfPresent(key, (k, u) -> now - u.lastChunkNanos > limit && idle.add(u) ? null : u);
        }
        for (var utterance : idle) {
            LOG.warnf("utterance %s of session %s had no commit for %s; dropped", utterance.key.utteranceId(),
                    utterance.key.sessionId(), config.idleTimeout());
            count(engineName(utterance), "dropped");
            utterance.then(() -> close(utterance));
            utterance.drainRecords().forEach(Message::ack);
        }
    }

    private void close(Utterance utterance) {
        var recognizer = utterance.recognizer;
        if (recognizer != null) {
            try {
                recognizer.close();
            } catch (RuntimeException e) {
                LOG.debugf(e, "closing the recognizer of %s", utterance.key);
            }
        }
    }

    private Transcript transcript(Utterance utterance, String text, boolean isFinal, double confidence) {
        return new Transcript(utterance.key.utteranceId(), utterance.key.track(), text, isFinal, Math.max(0, utterance.startMs),
                utterance.endMs, confidence, engineName(utterance), utterance.receivedAt);
    }

    private RecognitionRequest request(Utterance utterance) {
        var session = sessions.find(utterance.key.sessionId());
        var started = session.map(SessionRegistry.SessionState::started);
        String language = started.map(s -> s.language()).filter(l -> l != null && !l.isBlank()).orElse(config.language());
        var phrases = new ArrayList<>(config.tenantPhrases().getOrDefault(utterance.tenantId, List.of()));
        started.map(s -> s.metadata()).map(m -> m.get(SESSION_PHRASES)).ifPresent(p -> {
            for (String phrase : p.split(",")) {
                if (!phrase.isBlank()) {
                    phrases.add(phrase.trim());
                }
            }
        });
        return new RecognitionRequest(utterance.tenantId, utterance.key.sessionId(), utterance.key.track(),
                utterance.key.utteranceId(), language, List.copyOf(phrases));
    }

    /** Session metadata key with a comma-separated phrase list for this session only. */
    public static final String SESSION_PHRASES = "stt.phrases";

    private SttEngine engine(Utterance utterance) {
        return engines.engineFor(utterance.tenantId);
    }

    private String engineName(Utterance utterance) {
        return engine(utterance).name();
    }

    private long nextSeq(Utterance utterance) {
        return sessions.nextTranscriptSeq(utterance.tenantId, utterance.key.sessionId());
    }

    private void count(String engine, String outcome) {
        meters.counter("voicecoach.stt.utterances", "engine", engine, "outcome", outcome).increment();
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        workers.shutdownNow();
    }
}
