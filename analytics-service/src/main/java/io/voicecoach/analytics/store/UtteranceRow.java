package io.voicecoach.analytics.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A final transcript: what one speaker said. */
@Entity
@Table(name = "utterances")
public class UtteranceRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    /** The event that last wrote the row. */
    @Column(name = "event_id", nullable = false)
    public UUID eventId;
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;
    @Column(name = "session_id", nullable = false, updatable = false)
    public String sessionId;
    @Column(name = "utterance_id", nullable = false, updatable = false)
    public String utteranceId;
    @Column(name = "track", nullable = false)
    public String track;
    @Column(name = "text", nullable = false)
    public String text;
    @Column(name = "start_ms", nullable = false)
    public long startMs;
    @Column(name = "end_ms", nullable = false)
    public long endMs;
    @Column(name = "confidence")
    public Double confidence;
    @Column(name = "engine")
    public String engine;
    @Column(name = "received_at")
    public Instant receivedAt;
    @Column(name = "published_at", nullable = false)
    public Instant publishedAt;
}
