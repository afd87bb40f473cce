package io.voicecoach.analytics.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;

/**
 * A coaching suggestion and when it was delivered. A delivery receipt can arrive before the suggestion itself;
 * the row then holds only the receipt's fields until the suggestion fills in the rest.
 */
@Entity
@Table(name = "suggestions")
public class SuggestionRow extends PanacheEntityBase {

    @Id
    @Column(name = "suggestion_id")
    public String suggestionId;
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;
    @Column(name = "session_id", nullable = false, updatable = false)
    public String sessionId;
    @Column(name = "utterance_id")
    public String utteranceId;
    @Column(name = "kind")
    public String kind;
    @Column(name = "category")
    public String category;
    @Column(name = "title")
    public String title;
    @Column(name = "message")
    public String message;
    @Column(name = "confidence")
    public Double confidence;
    @Column(name = "source")
    public String source;
    @Column(name = "priority")
    public Integer priority;
    /** The battle card as JSON text, stored as jsonb. */
    @Column(name = "card", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String card;
    /** The cited knowledge-base chunks as a JSON array, stored as jsonb. */
    @Column(name = "citations", columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String citations = "[]";
    /** When the gateway received the triggering transcript. */
    @Column(name = "received_at")
    public Instant receivedAt;
    /** When the triggering transcript was published. */
    @Column(name = "transcript_at")
    public Instant transcriptAt;
    /** When the suggestion was published. */
    @Column(name = "suggested_at")
    public Instant suggestedAt;
    /** When the gateway wrote it to the client. */
    @Column(name = "delivered_at")
    public Instant deliveredAt;

    public boolean belongsTo(String tenantId, String sessionId) {
        return this.tenantId.equals(tenantId) && this.sessionId.equals(sessionId);
    }
}
