package io.voicecoach.transcription.audio;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.Recognizer;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One utterance of one session track being recognised, with the decoding plan of its first chunk. Engine work runs as
 * a chain of tasks so chunks reach the recognizer in order without holding the Kafka thread; the first chunk's record
 * is acknowledged only once the utterance's final transcript is on the broker (the others at once: the offset cannot
 * pass the first), so a crash before that replays the utterance.
 */
final class Utterance {

    /** A track has at most one open utterance: a newer one finalizes it. */
    record TrackKey(String sessionId, String track) {
    }

    final TrackKey key;
    final String id;
    final String tenantId;
    final PartitionLease lease;
    final Decodings.Plan plan;
    private final Executor executor;
    private final List<Message<?>> records = new ArrayList<>();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    volatile Recognizer recognizer;
    /** The session-level report of an engine this utterance asked for and this instance does not have. */
    volatile CompletionStage<Void> refusal = CompletableFuture.completedFuture(null);
    /** Its partition moved while it was open: nothing more is decoded or published. */
    volatile boolean abandoned;
    long startMs = -1;
    long endMs;
    Instant receivedAt;
    int partialsPublished;
    String lastPartial = "";
    long lastPartialNanos;
    volatile long lastChunkNanos = System.nanoTime();
    volatile RuntimeException failure;
    /** The trace context of the latest chunk's record (the utterance's trace), null without one. */
    volatile Context trace;

    Utterance(TrackKey key, String id, String tenantId, PartitionLease lease, Decodings.Plan plan, Executor executor) {
        this.key = key;
        this.id = id;
        this.tenantId = tenantId;
        this.lease = lease;
        this.plan = plan;
        this.executor = executor;
    }

    String sessionId() {
        return key.sessionId();
    }

    RecognitionRequest request() {
        return new RecognitionRequest(tenantId, key.sessionId(), key.track(), id, plan.language(), plan.phrases());
    }

    /** Audio samples received so far. */
    long samples;

    /**
     * Adds the chunk; only the utterance's first record is kept unacknowledged (it holds the partition's offset back,
     * so a replay reads the whole utterance again): the caller acknowledges the others at once, so an utterance holds
     * one record, not one per chunk.
     *
     * @return whether the record was kept (false: acknowledge it now)
     */
    synchronized boolean add(AudioChunk chunk, Message<?> record) {
        boolean keep = records.isEmpty();
        if (keep) {
            records.add(record);
        }
        var received = UtteranceTraces.of(record);
        if (received != null) {
            trace = received;
        }
        samples += chunk.pcm().length / 2;
        startMs = startMs < 0 ? chunk.offsetMs() : Math.min(startMs, chunk.offsetMs());
        endMs = Math.max(endMs, chunk.endMs());
        receivedAt = chunk.receivedAt();
        lastChunkNanos = System.nanoTime();
        return keep;
    }

    /** Makes the utterance's trace current, so what is published meanwhile continues it. */
    Scope traced() {
        var current = trace;
        return current == null ? Scope.noop() : current.makeCurrent();
    }

    /** Runs {@code task} after every task queued before it, also when one of those failed. */
    synchronized CompletableFuture<Void> then(Runnable task) {
        tail = tail.handle((ok, error) -> null).thenRunAsync(task, executor);
        return tail;
    }

    synchronized List<Message<?>> drainRecords() {
        var drained = List.copyOf(records);
        records.clear();
        return drained;
    }
}
