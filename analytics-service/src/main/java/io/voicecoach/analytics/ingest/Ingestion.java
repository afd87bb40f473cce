package io.voicecoach.analytics.ingest;

import io.quarkus.virtual.threads.VirtualThreads;
import io.voicecoach.events.kafka.Decoded;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Handles one poll's records of a topic: decodes them (a malformed one is parked in the dead-letter topic), applies
 * the stored ones in one transaction ({@link BatchWriter}), parks those of another tenant's session, then counts. If
 * the batch fails for a reason other than the database being unreachable, its events are applied one by one so that
 * only the culprit is parked; one that fails twice while the database answers is parked.
 * <p>
 * A database that cannot be reached (the error says so, or the {@link DatabaseProbe} gets no answer) is waited out:
 * the batch is tried again with a back-off from 200 ms to 5 s for up to {@code ingest.database-wait}, holding its
 * offsets, so a restart or fail-over of PostgreSQL loses nothing and parks nothing. Past that the batch fails: nothing
 * is committed to Kafka, the channel stops (health DOWN), the records come again after a restart, and the event ids
 * make the replay harmless.
 */
@ApplicationScoped
public class Ingestion {

    private static final Logger LOG = Logger.getLogger(Ingestion.class);
    private static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final BatchWriter writer;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final IngestConfig config;
    private final DatabaseProbe database;
    private final ExecutorService shardWriters;

    public Ingestion(BatchWriter writer, DeadLetters deadLetters, IngestMetrics metrics, IngestConfig config,
                     DatabaseProbe database, @VirtualThreads ExecutorService shardWriters) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config;
        this.database = database;
        this.shardWriters = shardWriters;
    }

    public void consume(String topic, ConsumerRecords<String, byte[]> records) {
        var changes = new ArrayList<Change>();
        Map<Change, ConsumerRecord<String, byte[]>> sources = new IdentityHashMap<>();
        int skipped = 0;
        int invalid = 0;
        for (var record : records) {
            try {
                var change = Change.of(Decoded.of(record.value()));
                if (change.isPresent()) {
                    changes.add(change.get());
                    sources.put(change.get(), record);
                } else {
                    skipped++;
                }
            } catch (RuntimeException e) {
                deadLetters.park(record, e.getMessage(), e);
                invalid++;
            }
        }
        var outcome = changes.isEmpty() ? BatchWriter.Outcome.NONE : applySharded(topic, changes);
        for (var rejected : outcome.rejected()) {
            LOG.warnf("rejecting %s %s from tenant %s: %s", rejected.change().event().type(),
                    rejected.change().event().eventId(), rejected.change().event().tenantId(), rejected.reason());
            deadLetters.park(sources.get(rejected.change()), rejected.reason(), null);
        }
        for (var failed : outcome.failed()) {
            deadLetters.park(sources.get(failed.change()), failed.reason(), null);
        }
        metrics.count(topic, IngestMetrics.APPLIED, outcome.applied().size());
        metrics.count(topic, IngestMetrics.DUPLICATE, outcome.duplicates());
        metrics.count(topic, IngestMetrics.ERASED, outcome.erased());
        metrics.count(topic, IngestMetrics.REJECTED, outcome.rejected().size());
        metrics.count(topic, IngestMetrics.SKIPPED, skipped);
        metrics.count(topic, IngestMetrics.INVALID, invalid + outcome.failed().size());
        metrics.finished(records.count());
    }

    /**
     * Large polls are split by session ({@link SessionShards}) and the groups applied by concurrent transactions; the
     * poll is done (and its offsets committed) only when every group is. A group that fails leaves the others'
     * effects committed: the redelivered poll finds their event ids recorded, so they count once.
     */
    private BatchWriter.Outcome applySharded(String topic, List<Change> changes) {
        var groups = changes.size() < config.splitAbove() ? List.of(changes)
                : SessionShards.of(changes, config.parallelism());
        if (groups.size() == 1) {
            return apply(topic, changes);
        }
        var others = groups.subList(1, groups.size()).stream()
                .map(group -> CompletableFuture.supplyAsync(() -> apply(topic, group), shardWriters)).toList();
        var outcome = apply(topic, groups.getFirst());
        for (var other : others) {
            try {
                outcome = outcome.plus(other.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return outcome;
    }

    /** Applies a group of changes, waiting out a database outage for up to {@code ingest.database-wait}. */
    private BatchWriter.Outcome apply(String topic, List<Change> changes) {
        long deadline = System.nanoTime() + config.databaseWait().toNanos();
        var backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                var outcome = applyOnce(topic, changes);
                if (attempt > 1) {
                    LOG.infof("the database is back: a batch of %d %s events was applied after %d attempts",
                            changes.size(), topic, attempt);
                }
                return outcome;
            } catch (DatabaseUnavailableException e) {
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    throw new IllegalStateException("database unreachable for " + config.databaseWait().toSeconds()
                            + " s; the batch will be consumed again", e.getCause());
                }
                if (attempt == 1) {
                    LOG.warnf("database unreachable (%s); holding a batch of %d %s events and retrying for up to %d s",
                            rootMessage(e.getCause()), changes.size(), topic, config.databaseWait().toSeconds());
                }
                metrics.databaseWait();
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private BatchWriter.Outcome applyOnce(String topic, List<Change> changes) throws DatabaseUnavailableException {
        try {
            return writeRetrying(topic, changes);
        } catch (SQLException | RuntimeException e) {
            failIfUnavailable(e);
            LOG.warnf(e, "a batch of %d %s events failed; applying them one by one", changes.size(), topic);
        }
        var outcome = BatchWriter.Outcome.NONE;
        for (Change change : changes) {
            outcome = outcome.plus(applyAlone(topic, change));
        }
        return outcome;
    }

    /** One change on its own; refused (to be parked) only if it fails twice while the database answers. */
    private BatchWriter.Outcome applyAlone(String topic, Change change) throws DatabaseUnavailableException {
        RuntimeException refusal = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                return writeRetrying(topic, List.of(change));
            } catch (SQLException | RuntimeException e) {
                failIfUnavailable(e);
                refusal = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
        }
        return new BatchWriter.Outcome(List.of(), 0, 0, List.of(),
                List.of(new BatchWriter.Rejected(change, "cannot be stored: " + rootMessage(refusal))));
    }

    private void failIfUnavailable(Exception e) throws DatabaseUnavailableException {
        if (unreachable(e) || !database.reachable()) {
            throw new DatabaseUnavailableException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }

    /** The database did not answer; the cause is what the attempt failed with. */
    private static final class DatabaseUnavailableException extends Exception {
        DatabaseUnavailableException(Exception cause) {
            super(cause);
        }
    }

    /** Retries a transaction that lost a deadlock or a serialization conflict to a concurrent one. */
    private BatchWriter.Outcome writeRetrying(String topic, List<Change> changes) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return writer.write(topic, changes);
            } catch (SQLException | RuntimeException e) {
                if (attempt >= ATTEMPTS || !conflict(e)) {
                    throw e;
                }
                LOG.debugf("retrying a %s batch after a conflict: %s", topic, rootMessage(e));
            }
        }
    }

    private static boolean conflict(Throwable e) {
        String state = sqlState(e);
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** No connection, or one lost: SQL state class 08, 53 (resources), 57 (shutdown), or none at all. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57");
            }
        }
        return false;
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
