package io.voicecoach.analytics.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.ingest")
public interface IngestConfig {

    /**
     * A poll's events are applied by up to this many transactions at once, each holding a disjoint set of sessions;
     * 1 applies every poll in one transaction.
     */
    @WithDefault("2")
    int parallelism();

    /** Polls with fewer stored events than this are applied in one transaction. */
    @WithDefault("200")
    int splitAbove();

    /**
     * How long a batch waits for an unreachable database (retrying with a back-off up to 5 s) before the channel
     * fails; keep it below the ingestion channels' {@code throttled.unprocessed-record-max-age.ms}.
     */
    @WithDefault("2m")
    Duration databaseWait();

    ProcessedEvents processedEvents();

    /** Pruning of {@code processed_events} ({@link ProcessedEventsPruner}). */
    interface ProcessedEvents {
        /**
         * How long an event id is remembered; longer than any redelivery window (the longest topic retention,
         * 7 days), or a redelivered event would be applied twice.
         */
        @WithDefault("8d")
        Duration retention();

        /** How often old ids are deleted (read by the scheduler as {@code ${...prune-interval:1h}}). */
        @WithDefault("1h")
        Duration pruneInterval();

        /** Ids deleted per transaction. */
        @WithDefault("10000")
        int pruneBatch();
    }
}
