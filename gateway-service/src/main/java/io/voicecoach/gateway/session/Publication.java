package io.voicecoach.gateway.session;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.SessionUpdated;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a session has published on Kafka: the envelope sequence, whether {@code session.started} went out, the
 * settings last announced with {@code session.updated}, and the latest publication ({@code session.ended} follows
 * it). Its reads take no lock, so a snapshot can be built under the connection's lock.
 */
public final class Publication {

    private static final SessionUpdated NOTHING_ANNOUNCED = new SessionUpdated(null, null, null, List.of(), null,
            Map.of());

    private final AtomicLong seq;
    private volatile CompletableFuture<Void> started;
    /** Compared without the mode, which cannot change once the session started. */
    private volatile SessionUpdated announced;
    private volatile CompletableFuture<Void> lastPublish = CompletableFuture.completedFuture(null);
    /** Callers that came while {@code session.started} was in flight, in call order; guarded by this. */
    private final ArrayDeque<Waiter> waitingForStart = new ArrayDeque<>();
    /** A thread is letting the waiters go; guarded by this. */
    private boolean releasing;

    private record Waiter(CompletableFuture<Void> start, CompletableFuture<Void> turn) {
    }

    Publication() {
        this(0, false, null);
    }

    /** The state a snapshot recorded: a new holder continues the sequence and does not start the session again. */
    Publication(long seq, boolean started, SessionUpdated announced) {
        this.seq = new AtomicLong(seq);
        this.started = started ? CompletableFuture.completedFuture(null) : null;
        this.announced = announced != null ? announced : NOTHING_ANNOUNCED;
    }

    public long nextSeq() {
        return seq.incrementAndGet();
    }

    /** The envelope sequence number reached. */
    public long seq() {
        return seq.get();
    }

    /**
     * Runs {@code publish} (the {@code session.started} event) once; later callers get the same outcome. A failed
     * publish is retried by the next caller. {@code onAcknowledged} runs once Kafka took it (outside this object's
     * lock: it writes a snapshot). Callers that came while it was in flight go on in the order they came (a
     * {@link CompletableFuture} would run them last first), so their events keep the order they were asked in.
     */
    public Uni<Void> startOnce(Supplier<Uni<Void>> publish, Runnable onAcknowledged) {
        CompletableFuture<Void> fresh = null;
        CompletableFuture<Void> turn;
        synchronized (this) {
            if (started == null || started.isCompletedExceptionally()) {
                started = publish.get().subscribeAsCompletionStage();
                fresh = started;
            }
            if (started.isDone() && waitingForStart.isEmpty() && !releasing) {
                turn = started;
            } else {
                turn = new CompletableFuture<>();
                waitingForStart.add(new Waiter(started, turn));
            }
        }
        if (fresh != null) {
            fresh.whenComplete((ok, failure) -> {
                if (failure == null) {
                    onAcknowledged.run();
                }
                releaseWaiters();
            });
        }
        return Uni.createFrom().completionStage(turn);
    }

    /** Lets the waiters whose start settled go, one after the other, each one's continuation run before the next. */
    private void releaseWaiters() {
        while (true) {
            Waiter next;
            synchronized (this) {
                next = waitingForStart.peek();
                if (next == null || !next.start().isDone()) {
                    releasing = false;
                    return;
                }
                waitingForStart.poll();
                releasing = true;
            }
            next.start().whenComplete((ok, failure) -> {
                if (failure == null) {
                    next.turn().complete(null);
                } else {
                    next.turn().completeExceptionally(failure);
                }
            });
        }
    }

    /** True once Kafka acknowledged {@code session.started}. */
    public boolean startAcknowledged() {
        var current = started;
        return current != null && current.isDone() && !current.isCompletedExceptionally();
    }

    /** True once {@code session.started} was (or is being) published. */
    public boolean startRequested() {
        var current = started;
        return current != null && !current.isCompletedExceptionally();
    }

    /**
     * True (and remembered) when {@code update} differs from the settings last announced on Kafka; the mode is not
     * compared since it cannot change once the session started.
     */
    public synchronized boolean announce(SessionUpdated update) {
        var comparable = new SessionUpdated(announced.mode(), update.transcriptionEngine(), update.language(),
                update.phrases(), update.instructions(), update.metadata(), update.tools(), update.toolChoice(),
                update.output());
        if (comparable.equals(announced)) {
            return false;
        }
        announced = comparable;
        return true;
    }

    /** The settings last announced with {@code session.updated}. */
    public SessionUpdated announced() {
        return announced;
    }

    /** Remembers the latest event publication, so {@code session.ended} can follow everything sent before it. */
    public Uni<Void> published(Uni<Void> publication) {
        var stage = publication.subscribeAsCompletionStage();
        lastPublish = stage;
        return Uni.createFrom().completionStage(stage);
    }

    /** Completes (successfully) once the latest publication settled, whatever its outcome. */
    public Uni<Void> settled() {
        return Uni.createFrom().completionStage(lastPublish.handle((ok, failure) -> null));
    }
}
