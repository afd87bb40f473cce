package io.voicecoach.analytics.live;

import io.voicecoach.events.kafka.Decoded;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the live view. Every replica must see every call, whichever replica ingests its partitions, so these
 * consumers are a fan-out: their group is per instance ({@code analytics-service-live-<instance-id>}), they start
 * at the end of the topics and commit nothing ({@link LivePositions} keeps their place across a rebalance). A record
 * that cannot be read is skipped here (ingestion parks it).
 */
@ApplicationScoped
public class LiveConsumers {

    private static final Logger LOG = Logger.getLogger(LiveConsumers.class);

    private final LiveCalls calls;
    private final LivePositions positions;

    public LiveConsumers(LiveCalls calls, LivePositions positions) {
        this.calls = calls;
        this.positions = positions;
    }

    @Incoming("live-sessions")
    public void sessions(ConsumerRecords<String, byte[]> records) {
        records.forEach(this::accept);
        positions.applied(records);
    }

    @Incoming("live-transcripts")
    public void transcripts(ConsumerRecords<String, byte[]> records) {
        records.forEach(this::accept);
        positions.applied(records);
    }

    @Incoming("live-suggestions")
    public void suggestions(ConsumerRecords<String, byte[]> records) {
        records.forEach(this::accept);
        positions.applied(records);
    }

    /** One record; a failure is logged and never keeps the rest of the batch from the viewers. */
    private void accept(ConsumerRecord<String, byte[]> record) {
        try {
            switch (Decoded.of(record.value())) {
                case Decoded.Valid valid -> calls.accept(valid.event());
                case Decoded.Invalid invalid -> LOG.debugf("live view skips %s-%d@%d: %s", record.topic(),
                        record.partition(), record.offset(), invalid.reason().getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "live view could not apply %s-%d@%d", record.topic(), record.partition(), record.offset());
        }
    }
}
