package io.voicecoach.analytics.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/** A session of one tenant; created by the first of its events to arrive, whatever the topic. */
@Entity
@Table(name = "sessions")
public class SessionRow extends PanacheEntityBase {

    @Id
    @Column(name = "session_id")
    public String sessionId;
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;
    @Column(name = "call_id")
    public String callId;
    @Column(name = "rep_id")
    public String repId;
    @Column(name = "mode")
    public String mode;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "end_reason")
    public String endReason;
    @Column(name = "duration_ms")
    public Long durationMs;
    @Column(name = "first_seen_at", insertable = false, updatable = false)
    public Instant firstSeenAt;
    /** Client metadata: session.started's, merged with every session.updated's (JSON object of strings). */
    @Column(name = "metadata", columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String metadata = "{}";
    /** {@code metadata.team}. */
    @Column(name = "team")
    public String team;
    /** {@code metadata.outcome}. */
    @Column(name = "outcome")
    public String outcome;
    @Column(name = "summary")
    public String summary;
    @Column(name = "next_steps", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String nextSteps;
    @Column(name = "summary_model")
    public String summaryModel;
    @Column(name = "summarized_at")
    public Instant summarizedAt;
    // the voice agent's speech (V7), kept by ingestion's own statements: read only here
    @Column(name = "agent_speech_ms", insertable = false, updatable = false)
    public long agentSpeechMs;
    @Column(name = "tts_chars", insertable = false, updatable = false)
    public long ttsChars;
    @Column(name = "tts_cost_usd", insertable = false, updatable = false)
    public double ttsCostUsd;
    @Column(name = "tts_items", insertable = false, updatable = false)
    public int ttsItems;
    @Column(name = "tts_failures", insertable = false, updatable = false)
    public int ttsFailures;
    /** The latest compliance checklist as JSON (jsonb); null until coaching sent one. */
    @Column(name = "compliance", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String compliance;
}
