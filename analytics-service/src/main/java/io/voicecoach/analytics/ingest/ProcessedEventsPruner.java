package io.voicecoach.analytics.ingest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps {@code processed_events} bounded: every {@code processed-events.prune-interval}, ids recorded longer ago than
 * {@code processed-events.retention} are deleted, in batches of {@code processed-events.prune-batch} (a short
 * transaction each). The retention must outlast any redelivery: an event can only come back while its topic still
 * holds it (7 days at most, deploy/base/kafka/topics.yaml), so the default keeps ids for 8. Every instance prunes;
 * two at once delete disjoint or already-deleted rows.
 */
@ApplicationScoped
public class ProcessedEventsPruner {

    private static final Logger LOG = Logger.getLogger(ProcessedEventsPruner.class);

    private final EntityManager entityManager;
    private final IngestConfig.ProcessedEvents config;

    public ProcessedEventsPruner(EntityManager entityManager, IngestConfig config) {
        this.entityManager = entityManager;
        this.config = config.processedEvents();
    }

    @Scheduled(every = "${voicecoach.ingest.processed-events.prune-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("pruning processed_events failed (tried again at the next interval): %s", e.getMessage());
        }
    }

    /** @return how many ids were deleted */
    public long prune() {
        long deleted = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> deleteBatch(config.retention()));
            deleted += batch;
        } while (batch >= config.pruneBatch());
        if (deleted > 0) {
            LOG.infof("pruned %d processed event ids older than %s", deleted, config.retention());
        }
        return deleted;
    }

    private int deleteBatch(Duration retention) {
        return entityManager.createNativeQuery("""
                        delete from processed_events where event_id in (
                            select event_id from processed_events
                             where processed_at < now() - make_interval(secs => ?1)
                             order by processed_at limit ?2)""")
                .setParameter(1, retention.toMillis() / 1000.0)
                .setParameter(2, config.pruneBatch())
                .executeUpdate();
    }
}
