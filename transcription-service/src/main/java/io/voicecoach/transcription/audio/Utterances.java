package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.virtual.threads.VirtualThreads;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Routes audio chunks to one recognizer per (session, track, utterance), publishes throttled partials while the
 * utterance goes on and the final transcript on its commit chunk. An utterance whose commit never comes (its gateway
 * died between chunks, its client vanished) is finalized from the audio that arrived, with the same event id, when a
 * newer utterance starts on its track or after {@code idle-timeout} without a chunk. A final that fails or times out
 * is logged and counted ({@code voicecoach_stt_utterances_total{outcome=...}}), and its records are acknowledged so a
 * poison utterance is not replayed forever.
 */
@ApplicationScoped
public class Utterances {

    static final String COMMITTED = "final";
    static final String UNCOMMITTED = "uncommitted";
    static final String MAX_AGE_PROPERTY = "mp.messaging.incoming.audio.throttled.unprocessed-record-max-age.ms";

    private static final Logger LOG = Logger.getLogger(Utterances.class);

    private final Map<Utterance.TrackKey, Utterance> open = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final Decodings decodings;
    private final EngineRefusals refusals;
    private final SessionStates sessions;
    private final TranscriptPublisher publisher;
    private final SttConfig config;
    private final MeterRegistry meters;
    private final Timer finishTime;
    private final long maxSamples;
    private final UtteranceTraces traces;

    @Inject
    public Utterances(Decodings decodings, EngineRefusals refusals, SessionStates sessions, TranscriptPublisher publisher,
                      SttConfig config, MeterRegistry meters,
                      @ConfigProperty(name = MAX_AGE_PROPERTY, defaultValue = "60000") long maxRecordAgeMs,
                      @VirtualThreads ExecutorService workers, UtteranceTraces traces) {
        requireConsistent(config, maxRecordAgeMs);
        this.traces = traces;
        this.decodings = decodings;
        this.refusals = refusals;
        this.sessions = sessions;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
        this.workers = workers;
        this.maxSamples = config.maxUtterance().toMillis() * io.voicecoach.events.AudioHeaders.SAMPLE_RATE / 1000;
        this.finishTime = Timer.builder("voicecoach.stt.finish")
                .description("From an utterance's commit chunk to its final transcript on the broker")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
    }

    /**
     * The throttled commit strategy marks the channel unhealthy when a record stays unacknowledged longer than its age
     * limit, and an utterance's first record waits for at least its idle and finish time.
     */
    static void requireConsistent(SttConfig config, long maxRecordAgeMs) {
        long needed = config.maxUtterance().plus(config.idleTimeout()).plus(config.finishTimeout()).toMillis();
        if (maxRecordAgeMs > 0 && maxRecordAgeMs <= needed) {
            throw new IllegalStateException(MAX_AGE_PROPERTY + "=" + maxRecordAgeMs + " must exceed "
                    + "voicecoach.stt.max-utterance + voicecoach.stt.idle-timeout + voicecoach.stt.finish-timeout ("
                    + needed + " ms)");
        }
    }

    /**
     * Accepts a validated chunk of a partition this instance holds {@code lease} on; its record is acknowledged when the
     * utterance ends. Called with the partitions' lock held, so no chunk joins an utterance after its partition moved.
     */
    public void accept(AudioChunk chunk, PartitionLease lease, Message<?> record) {
        if (sessions.refused(chunk.sessionId(), chunk.utteranceId())) {
            record.ack(); // a later chunk of an utterance that already failed (too long, too fast)
            return;
        }
        var key = new Utterance.TrackKey(chunk.sessionId(), chunk.track());
        var replaced = new Utterance[1];
        var begun = new boolean[1];
        var kept = new boolean[1];
        // compute() keeps the idle sweeper from finalizing the utterance between adding the record and queueing the work
        var utterance = open.compute(key, (k, current) -> {
            var u = current;
            if (u == null || !u.id.equals(chunk.utteranceId())) {
                replaced[0] = current;
                begun[0] = true;
                u = new Utterance(k, chunk.utteranceId(), chunk.tenantId(), lease,
                        decodings.plan(chunk.tenantId(), chunk.settings()), workers);
            }
            var target = u;
            kept[0] = target.add(chunk, record);
            if (target.samples <= maxSamples) {
                target.then(() -> feed(target, chunk.pcm()));
            }
            return target;
        });
        if (!kept[0]) {
            record.ack();
        }
        if (replaced[0] != null) {
            LOG.infof("utterance %s of session %s (track %s) had no commit when %s began; finalizing it", replaced[0].id,
                    chunk.sessionId(), chunk.track(), chunk.utteranceId());
            finish(replaced[0], UNCOMMITTED);
        }
        if (begun[0] && utterance.plan.refusedEngine() != null) {
            utterance.refusal = refusals.report(chunk.tenantId(), chunk.sessionId(), lease.partition(), utterance.plan);
        }
        if (utterance.samples > maxSamples) {
            if (open.remove(key, utterance)) {
                refuseOpen(utterance, FailureCodes.UTTERANCE_TOO_LONG, "the utterance is longer than "
                        + config.maxUtterance().toSeconds() + " s of audio (voicecoach.stt.max-utterance)");
            }
            return;
        }
        if (chunk.commit()) {
            open.remove(key, utterance);
            finish(utterance, COMMITTED);
        }
    }

    /**
     * A chunk the session sent too fast ({@code code}): it is dropped, and the utterance it belongs to fails with that
     * code, whether it is open here (its audio so far is not decoded) or this is its first chunk. Later chunks of the
     * utterance are dropped ({@link SessionStates#refused}).
     */
    public void refuse(AudioChunk chunk, PartitionLease lease, Message<?> record, String code) {
        String message = "audio arrived faster than " + config.maxAudioRate() + " x real time"
                + " (voicecoach.stt.max-audio-rate)";
        var key = new Utterance.TrackKey(chunk.sessionId(), chunk.track());
        var current = open.get(key);
        if (current != null && current.id.equals(chunk.utteranceId()) && open.remove(key, current)) {
            record.ack();
            refuseOpen(current, code, message);
            return;
        }
        sessions.refuseUtterance(chunk.tenantId(), chunk.sessionId(), lease.partition(), chunk.utteranceId(), code);
        String engine = decodings.plan(chunk.tenantId(), chunk.settings()).engine().name();
        meters.counter("voicecoach.stt.utterances", "engine", engine, "outcome", code).increment();
        LOG.warnf("utterance %s of session %s (track %s) refused: %s", chunk.utteranceId(), chunk.sessionId(),
                chunk.track(), message);
        publisher.publishFailure(chunk.tenantId(), chunk.sessionId(),
                        sessions.nextTranscriptSeq(chunk.tenantId(), chunk.sessionId(), lease.partition()),
                        TranscriptPublisher.failureId(chunk.sessionId(), chunk.utteranceId()),
                        new TranscriptFailed(chunk.utteranceId(), chunk.track(), code, code + ": " + message, engine))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.errorf("refusal of utterance %s not published: %s", chunk.utteranceId(), error);
                    } else if (!lease.revoked()) {
                        record.ack();
                    }
                });
    }

    /** Ends an open utterance as refused: nothing more of it is decoded, its failure takes the final's place. */
    private void refuseOpen(Utterance utterance, String code, String message) {
        sessions.refuseUtterance(utterance.tenantId, utterance.sessionId(), utterance.lease.partition(), utterance.id,
                code);
        utterance.failure = new AudioRefusal(code, message);
        finish(utterance, code);
    }

    /**
     * Drops the open utterances of revoked partitions without publishing or acknowledging anything: the new owner
     * decodes them from the uncommitted offsets. Those already finishing still publish (same event ids), unacknowledged.
     *
     * @return how many were abandoned
     */
    int abandonRevoked() {
        var moved = new ArrayList<Utterance>();
        for (var key : List.copyOf(open.keySet())) {
            open.computeIfPresent(key, (k, u) -> u.lease.revoked() && moved.add(u) ? null : u);
        }
        for (var utterance : moved) {
            utterance.abandoned = true;
            count(utterance, "moved");
            utterance.then(() -> close(utterance));
        }
        return moved.size();
    }

    public int openUtterances() {
        return open.size();
    }

    /** Id of the open utterance of a session track, if any. */
    public Optional<String> openUtterance(String sessionId, String track) {
        return Optional.ofNullable(open.get(new Utterance.TrackKey(sessionId, track))).map(u -> u.id);
    }

    private void feed(Utterance utterance, byte[] pcm) {
        if (utterance.failure != null || utterance.abandoned) {
            return;
        }
        try {
            if (utterance.recognizer == null) {
                utterance.recognizer = utterance.plan.engine().open(utterance.request());
            }
            utterance.recognizer.accept(pcm);
            maybePublishPartial(utterance);
        } catch (RuntimeException e) {
            utterance.failure = e;
            LOG.debugf(e, "engine failed on audio of utterance %s of session %s", utterance.id, utterance.sessionId());
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
                    try (var traced = utterance.traced()) {
                        publisher.publish(utterance.tenantId, utterance.sessionId(), nextSeq(utterance), transcript, index)
                                .whenComplete((ok, e) -> {
                                    if (e != null) {
                                        LOG.warnf("partial of utterance %s not published: %s", utterance.id, e);
                                    }
                                });
                    }
                });
    }

    /** Decodes what arrived and publishes the final ({@code outcome} names how the utterance ended, for the metric). */
    private void finish(Utterance utterance, String outcome) {
        var started = System.nanoTime();
        var span = traces.finishing(utterance, outcome);
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
                .handle((result, error) -> {
                    try (var traced = span.makeCurrent()) {
                        if (error == null) {
                            return publishFinal(utterance, result, started, outcome);
                        }
                        UtteranceTraces.failed(span, error);
                        return publishFailure(utterance, error);
                    }
                })
                .thenCompose(published -> published)
                .whenComplete((ok, error) -> {
                    UtteranceTraces.end(span, error);
                    if (error != null) {
                        LOG.errorf("outcome of utterance %s of session %s not published: %s", utterance.id,
                                utterance.sessionId(), error);
                    }
                    close(utterance);
                    acknowledge(utterance);
                });
    }

    private void acknowledge(Utterance utterance) {
        var records = utterance.drainRecords();
        if (utterance.lease.revoked()) {
            LOG.debugf("records of utterance %s not acknowledged: voice.audio-%s has another owner now", utterance.id,
                    utterance.lease.partition());
            return;
        }
        utterance.refusal.handle((ok, error) -> null).thenRun(() -> records.forEach(Message::ack));
    }

    private CompletionStage<Void> publishFinal(Utterance utterance, RecognitionResult result, long started, String outcome) {
        return publisher.publish(utterance.tenantId, utterance.sessionId(), nextSeq(utterance),
                        transcript(utterance, result.text(), true, result.confidence()), 0)
                .thenRun(() -> {
                    if (COMMITTED.equals(outcome)) {
                        finishTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    }
                    count(utterance, outcome);
                });
    }

    /** The engine failed or timed out: a {@code transcript.failed} takes the final's place. */
    private CompletionStage<Void> publishFailure(Utterance utterance, Throwable error) {
        var cause = error instanceof CompletionException ? error.getCause() : error;
        String engine = utterance.plan.engine().name();
        String outcome = cause instanceof TimeoutException ? "timeout" : cause instanceof SttException stt ? stt.code()
                : cause instanceof AudioRefusal refusal ? refusal.code() : "error";
        String message = cause instanceof TimeoutException
                ? "the engine did not finish within " + config.finishTimeout()
                : outcome + ": " + cause.getMessage();
        count(utterance, outcome);
        if (cause instanceof AudioRefusal) {
            LOG.warnf("utterance %s of session %s (track %s) refused: %s", utterance.id, utterance.sessionId(),
                    utterance.key.track(), message);
        } else {
            LOG.errorf("utterance %s of session %s (track %s) not transcribed by %s: %s", utterance.id,
                    utterance.sessionId(), utterance.key.track(), engine, message);
        }
        var failure = new TranscriptFailed(utterance.id, utterance.key.track(), FailureCodes.of(cause), message, engine);
        return publisher.publishFailure(utterance.tenantId, utterance.sessionId(), nextSeq(utterance),
                TranscriptPublisher.failureId(utterance.sessionId(), utterance.id), failure);
    }

    /** Utterances without a chunk for {@code idle-timeout}: their commit is not coming, their words are published. */
    /** Every {@code voicecoach.stt.sweep-interval}: an utterance is finalized at most that long after its idle timeout. */
    @Scheduled(every = "${voicecoach.stt.sweep-interval:PT5S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void finalizeIdle() {
        long limit = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        var idle = new ArrayList<Utterance>();
        for (var key : List.copyOf(open.keySet())) {
            open.computeIfPresent(key, (k, u) -> now - u.lastChunkNanos > limit && idle.add(u) ? null : u);
        }
        for (var utterance : idle) {
            LOG.warnf("utterance %s of session %s (track %s) had no chunk for %s and no commit; finalizing it",
                    utterance.id, utterance.sessionId(), utterance.key.track(), config.idleTimeout());
            finish(utterance, UNCOMMITTED);
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
        return new Transcript(utterance.id, utterance.key.track(), text, isFinal, Math.max(0, utterance.startMs),
                utterance.endMs, confidence, utterance.plan.engine().name(), utterance.receivedAt);
    }

    private long nextSeq(Utterance utterance) {
        return sessions.nextTranscriptSeq(utterance.tenantId, utterance.sessionId(), utterance.lease.partition());
    }

    private void count(Utterance utterance, String outcome) {
        meters.counter("voicecoach.stt.utterances", "engine", utterance.plan.engine().name(), "outcome", outcome).increment();
    }
}
