package io.voicecoach.coaching.suggest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.tools.BattleCardRequests;
import io.voicecoach.events.Suggestion;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

@ApplicationScoped
public class CoachingMetrics {

    private final MeterRegistry meters;

    public CoachingMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Records the transcript -> suggestion hop (suggestion published minus transcript published). */
    public void suggested(Suggestion suggestion, Instant publishedAt) {
        if (suggestion.transcriptAt() != null) { // a nudge of the timer follows no transcript
            Timer.builder("voicecoach.coaching.detection")
                    .description("Transcript published -> suggestion published")
                    .tag("kind", suggestion.kind())
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(nonNegative(Duration.between(suggestion.transcriptAt(), publishedAt)));
        }
        meters.counter("voicecoach.coaching.suggestions", "kind", suggestion.kind(), "category", suggestion.category())
                .increment();
    }

    public void battleCard(BattleCardRequests.Outcome outcome) {
        meters.counter("voicecoach.coaching.battle.cards", "outcome", outcome.name().toLowerCase()).increment();
    }

    public void repeatSuppressed(Detection detection) {
        meters.counter("voicecoach.coaching.suggestions.suppressed", "kind", detection.kind(), "category",
                detection.category()).increment();
    }

    /** {@code outcome}: completed, unknown_call, foreign_tenant or late. */
    public void toolResult(String outcome) {
        meters.counter("voicecoach.coaching.tool.results", "outcome", outcome).increment();
    }

    /** An utterance longer than {@code max-utterance-chars} was cut before it was coached. */
    public void utteranceCut() {
        meters.counter("voicecoach.coaching.utterances.cut").increment();
    }

    /** Sessions whose state a {@code session.erased} removed. */
    public void erased(int sessions) {
        meters.counter("voicecoach.coaching.sessions.erased").increment(sessions);
    }

    /** An event of an erased session, dropped. */
    public void afterErasure() {
        meters.counter("voicecoach.coaching.events.after_erasure").increment();
    }

    /** A final transcript of a tenant beyond its share of the stream thread: recorded, not classified. */
    public void overShare() {
        meters.counter("voicecoach.coaching.transcripts.unclassified", "reason", "over_share").increment();
    }

    public void duplicate() {
        meters.counter("voicecoach.coaching.transcripts.duplicate").increment();
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
