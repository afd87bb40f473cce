package io.voicecoach.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.SuggestionTimes;
import io.voicecoach.analytics.store.SuggestionRow;

import java.time.Instant;

/** A suggestion; only the receipt's fields are set while a delivered suggestion itself has not arrived. */
@RegisterForReflection
public record SuggestionView(String suggestionId, String utteranceId, String kind, String category, String title,
                             String message, Double confidence, String source, Integer priority, JsonNode card,
                             Instant receivedAt, Instant transcriptAt, Instant suggestedAt, Instant deliveredAt) {

    static SuggestionView of(SuggestionRow row) {
        return new SuggestionView(row.suggestionId, row.utteranceId, row.kind, row.category, row.title, row.message,
                row.confidence, row.source, row.priority, Json.tree(row.card), row.receivedAt, row.transcriptAt,
                row.suggestedAt, row.deliveredAt);
    }

    SuggestionTimes times() {
        return new SuggestionTimes(receivedAt, transcriptAt, suggestedAt, deliveredAt);
    }
}
