package io.voicecoach.analytics.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event already applied; recorded in the same transaction as its effects. */
@Entity
@Table(name = "processed_events")
public class ProcessedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;
    @Column(name = "topic", nullable = false)
    public String topic;
    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    /**
     * Records the event; false if it was recorded before. A concurrent duplicate waits for the first one's
     * transaction and then sees it, so an event is applied at most once.
     */
    public static boolean markProcessed(UUID eventId, String topic) {
        return getEntityManager().createNativeQuery("""
                        INSERT INTO processed_events (event_id, topic, processed_at) VALUES (?1, ?2, now())
                        ON CONFLICT (event_id) DO NOTHING""")
                .setParameter(1, eventId)
                .setParameter(2, topic)
                .executeUpdate() == 1;
    }
}
