package io.voicecoach.analytics;

import io.voicecoach.analytics.latency.LatencySummary;
import io.voicecoach.analytics.latency.SessionLatency;
import io.voicecoach.analytics.latency.SuggestionTimes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRank() {
        var hundred = LongStream.rangeClosed(1, 100).boxed().toList().reversed();
        assertThat(LatencySummary.of(hundred)).isEqualTo(new LatencySummary(100, 50L, 95L, 100L));
        assertThat(LatencySummary.of(List.of(7L))).isEqualTo(new LatencySummary(1, 7L, 7L, 7L));
        assertThat(LatencySummary.of(List.of(30L, 10L, 20L))).isEqualTo(new LatencySummary(3, 20L, 30L, 30L));
    }

    @Test
    void noSamplesMeansNoFigures() {
        assertThat(LatencySummary.of(List.of())).isEqualTo(new LatencySummary(0, null, null, null));
    }

    @Test
    void aSuggestionCountsOnlyForTheHopsItHasTimestampsFor() {
        var t = Instant.parse("2026-01-01T00:00:00Z");
        var complete = new SuggestionTimes(t, t.plusMillis(100), t.plusMillis(120), t.plusMillis(135));
        var undelivered = new SuggestionTimes(t, t.plusMillis(100), t.plusMillis(150), null);
        var receiptOnly = new SuggestionTimes(null, null, t.plusMillis(10), t.plusMillis(30));

        var latency = SessionLatency.of(List.of(complete, undelivered, receiptOnly));

        assertThat(latency.transcriptToSuggestionMs()).isEqualTo(new LatencySummary(2, 20L, 50L, 50L));
        assertThat(latency.suggestionToClientMs()).isEqualTo(new LatencySummary(2, 15L, 20L, 20L));
        assertThat(latency.endToEndMs()).isEqualTo(new LatencySummary(1, 135L, 135L, 135L));
    }
}
