package io.voicecoach.transcription.audio;

import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.SttEngine;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One utterance of one session track being recognised. Engine work runs as a chain of tasks so chunks reach the
 * recognizer in order without holding the Kafka thread; the chunks' records are acknowledged only once the
 * utterance's final transcript is on the broker, so a crash before that replays the utterance.
 */
final class Utterance {

    record Key(String sessionId, String track, String utteranceId) {
    }

    final Key key;
    final String tenantId;
    private final Executor executor;
    private final List<Message<?>> records = new ArrayList<>();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    volatile SttEngine engine;
    volatile Recognizer recognizer;
    long startMs = -1;
    long endMs;
    Instant receivedAt;
    int partialsPublished;
    String lastPartial = "";
    long lastPartialNanos;
    volatile long lastChunkNanos = System.nanoTime();
    volatile RuntimeException failure;

    Utterance(Key key, String tenantId, Executor executor) {
        this.key = key;
        this.tenantId = tenantId;
        this.executor = executor;
    }

    synchronized void add(AudioChunk chunk, Message<?> record) {
        records.add(record);
        startMs = startMs < 0 ? chunk.offsetMs() : Math.min(startMs, chunk.offsetMs());
        endMs = Math.max(endMs, chunk.endMs());
        receivedAt = chunk.receivedAt();
        lastChunkNanos = System.nanoTime();
    }

    /** Runs {@code task} after every task queued before it, also when one of those failed. */
    synchronized CompletableFuture<Void> then(Runnable task) {
        tail = tail.handle((ok, error) -> null).thenRunAsync(task, executor);
        return tail;
    }

    synchronized CompletableFuture<Void> tail() {
        return tail;
    }

    synchronized List<Message<?>> drainRecords() {
        var drained = List.copyOf(records);
        records.clear();
        return drained;
    }
}
