package io.voicecoach.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.SuggestionTimes;
import io.voicecoach.analytics.store.SuggestionRow;

import java.time.Instant;

/**
 * A suggestion; only the receipt's fields are set while a delivered suggestion itself has not arrived.
 * {@code citations} are the knowledge-base chunks it cites ({@code documentId, documentTitle, chunkIndex, excerpt,
 * score}), best first; an empty array when none.
 */
@RegisterForReflection
public record SuggestionView(String suggestionId, String utteranceId, String kind, String category, String title,
                             String message, Double confidence, String source, Integer priority, JsonNode card,
                             Instant receivedAt, Instant transcriptAt, Instant suggestedAt, Instant deliveredAt,
                             JsonNode citations) {

    static SuggestionView of(SuggestionRow row) {
        return new SuggestionView(row.suggestionId, row.utteranceId, row.kind, row.category, row.title, row.message,
                row.confidence, row.source, row.priority, Json.tree(row.card), row.receivedAt, row.transcriptAt,
                row.suggestedAt, row.deliveredAt, Json.tree(row.citations == null ? "[]" : row.citations));
    }

    SuggestionTimes times() {
        return new SuggestionTimes(receivedAt, transcriptAt, suggestedAt, deliveredAt);
    }
}
