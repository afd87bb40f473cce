package io.voicecoach.analytics.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * {@code voicecoach_analytics_events_total{topic, outcome}}: events by what ingestion did with them;
 * {@code voicecoach_analytics_ingested_total}: records whose handling is finished (committed or parked), the figure
 * to watch to know ingestion has caught up.
 */
@Startup // registers the counters at boot, so dashboards see zeros rather than nothing
@ApplicationScoped
public class IngestMetrics {

    static final List<String> TOPICS = List.of(Topics.SESSIONS, Topics.TRANSCRIPTS, Topics.SUGGESTIONS,
            Topics.TOOL_CALLS, Topics.TOOL_RESULTS);
    static final String APPLIED = "applied";
    static final String DUPLICATE = "duplicate";
    static final String REJECTED = "rejected";
    static final String SKIPPED = "skipped";
    static final String ERASED = "erased";
    static final String INVALID = "invalid";

    private final MeterRegistry meters;
    private final Counter ingested;
    private final Counter databaseWaits;

    public IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.ingested = Counter.builder("voicecoach.analytics.ingested")
                .description("Records consumed whose handling is finished: stored, duplicate, skipped, erased or parked")
                .register(meters);
        this.databaseWaits = Counter.builder("voicecoach.analytics.database.waits")
                .description("Times a batch waited for an unreachable database before trying again")
                .register(meters);
        for (String topic : TOPICS) {
            for (String outcome : List.of(APPLIED, DUPLICATE, REJECTED, SKIPPED, ERASED, INVALID)) {
                count(topic, outcome, 0);
            }
        }
    }

    void count(String topic, String outcome, int events) {
        Counter.builder("voicecoach.analytics.events")
                .description("Events consumed, by topic and outcome")
                .tags("topic", topic, "outcome", outcome)
                .register(meters)
                .increment(events);
    }

    void databaseWait() {
        databaseWaits.increment();
    }

    void finished(int records) {
        ingested.increment(records);
    }
}
