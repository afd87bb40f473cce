package io.voicecoach.analytics.ingest;

import io.quarkus.virtual.threads.VirtualThreads;
import io.voicecoach.events.kafka.Decoded;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.sql.SQLException;
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
 * only the culprit is parked. A database that cannot be reached fails the batch: nothing is committed to Kafka, the
 * records come again after a restart, and the event ids make the replay harmless.
 */
@ApplicationScoped
public class Ingestion {

    private static final Logger LOG = Logger.getLogger(Ingestion.class);
    private static final int ATTEMPTS = 3;

    private final BatchWriter writer;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final IngestConfig config;
    private final ExecutorService shardWriters;

    public Ingestion(BatchWriter writer, DeadLetters deadLetters, IngestMetrics metrics, IngestConfig config,
                     @VirtualThreads ExecutorService shardWriters) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config;
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

    private BatchWriter.Outcome apply(String topic, List<Change> changes) {
        try {
            return writeRetrying(topic, changes);
        } catch (SQLException | RuntimeException e) {
            if (unreachable(e)) {
                throw new IllegalStateException("database unreachable; the batch will be consumed again", e);
            }
            LOG.warnf(e, "a batch of %d %s events failed; applying them one by one", changes.size(), topic);
        }
        var outcome = BatchWriter.Outcome.NONE;
        for (Change change : changes) {
            try {
                outcome = outcome.plus(writeRetrying(topic, List.of(change)));
            } catch (SQLException | RuntimeException e) {
                if (unreachable(e)) {
                    throw new IllegalStateException("database unreachable; the batch will be consumed again", e);
                }
                outcome = outcome.plus(new BatchWriter.Outcome(List.of(), 0, 0, List.of(),
                        List.of(new BatchWriter.Rejected(change, "cannot be stored: " + rootMessage(e)))));
            }
        }
        return outcome;
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
