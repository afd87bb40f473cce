package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.store.UtteranceRow;

import java.time.Instant;

@RegisterForReflection
public record UtteranceView(String utteranceId, String track, String text, long startMs, long endMs,
                            Double confidence, String engine, Instant receivedAt, Instant publishedAt) {

    static UtteranceView of(UtteranceRow row) {
        return new UtteranceView(row.utteranceId, row.track, row.text, row.startMs, row.endMs, row.confidence,
                row.engine, row.receivedAt, row.publishedAt);
    }
}
