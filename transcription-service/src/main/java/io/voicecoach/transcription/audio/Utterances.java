package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
                var settings = sessions.settings(utterance.key.sessionId());
                utterance.engine = engines.engineFor(utterance.tenantId, settings.engine());
                utterance.recognizer = utterance.engine.open(request(utterance, settings));
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
        utterance.recognizer.partial().filter(p -> !p.text().isBlank() && !p.text().equals(utterance.lastPartial))
                .ifPresent(partial -> {
                    utterance.lastPartial = partial.text();
                    utterance.lastPartialNanos = now;
                    int index = ++utterance.partialsPublished;
                    var transcript = transcript(utterance, partial.text(), false, partial.confidence());
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
                .handle((result, error) -> error == null ? publishFinal(utterance, result, started) : publishFailure(utterance, error))
                .thenCompose(published -> published)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.errorf("outcome of utterance %s of session %s not published: %s", utterance.key.utteranceId(),
                                utterance.key.sessionId(), error);
                    }
                    close(utterance);
                    utterance.drainRecords().forEach(Message::ack);
                });
    }

    private CompletionStage<Void> publishFinal(Utterance utterance, RecognitionResult result, long started) {
        return publisher.publish(utterance.tenantId, utterance.key.sessionId(), nextSeq(utterance),
                        transcript(utterance, result.text(), true, result.confidence()), 0)
                .thenRun(() -> {
                    finishTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    count(engineName(utterance), "final");
                });
    }

    /** The engine failed or timed out: a {@code transcript.failed} takes the final's place. */
    private CompletionStage<Void> publishFailure(Utterance utterance, Throwable error) {
        var cause = error instanceof CompletionException ? error.getCause() : error;
        String engine = engineName(utterance);
        String outcome = cause instanceof TimeoutException ? "timeout" : cause instanceof SttException stt ? stt.code() : "error";
        String message = cause instanceof TimeoutException
                ? "the engine did not finish within " + config.finishTimeout()
                : outcome + ": " + cause.getMessage();
        count(engine, outcome);
        LOG.errorf("utterance %s of session %s (track %s) not transcribed by %s: %s", utterance.key.utteranceId(),
                utterance.key.sessionId(), utterance.key.track(), engine, message);
        var failure = new TranscriptFailed(utterance.key.utteranceId(), utterance.key.track(), FailureCodes.of(cause), message, engine);
        return publisher.publishFailure(utterance.tenantId, utterance.key.sessionId(), nextSeq(utterance),
                TranscriptPublisher.failureId(utterance.key.sessionId(), utterance.key.utteranceId()), failure);
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

    private RecognitionRequest request(Utterance utterance, SessionRegistry.Settings settings) {
        String language = settings.language() != null ? settings.language() : config.language();
        var phrases = new ArrayList<String>();
        var tenant = config.tenants().get(utterance.tenantId);
        if (tenant != null) {
            tenant.phrases().ifPresent(phrases::addAll);
        }
        phrases.addAll(settings.phrases());
        return new RecognitionRequest(utterance.tenantId, utterance.key.sessionId(), utterance.key.track(),
                utterance.key.utteranceId(), language, List.copyOf(phrases));
    }

    private String engineName(Utterance utterance) {
        var engine = utterance.engine;
        return engine != null ? engine.name()
                : engines.engineFor(utterance.tenantId, sessions.settings(utterance.key.sessionId()).engine()).name();
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
