package io.voicecoach.analytics.latency;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The three measured hops of a set of suggestions. A suggestion counts towards a hop only when it has both of
 * the hop's timestamps.
 *
 * @param transcriptToSuggestionMs suggestedAt - transcriptAt
 * @param suggestionToClientMs     deliveredAt - suggestedAt
 * @param endToEndMs               deliveredAt - receivedAt
 */
@RegisterForReflection
public record SessionLatency(LatencySummary transcriptToSuggestionMs, LatencySummary suggestionToClientMs,
                             LatencySummary endToEndMs) {

    public static SessionLatency of(List<SuggestionTimes> suggestions) {
        return new SessionLatency(
                hop(suggestions, SuggestionTimes::transcriptAt, SuggestionTimes::suggestedAt),
                hop(suggestions, SuggestionTimes::suggestedAt, SuggestionTimes::deliveredAt),
                hop(suggestions, SuggestionTimes::receivedAt, SuggestionTimes::deliveredAt));
    }

    private static LatencySummary hop(List<SuggestionTimes> suggestions, Function<SuggestionTimes, Instant> from,
                                      Function<SuggestionTimes, Instant> to) {
        return LatencySummary.of(suggestions.stream()
                .filter(s -> from.apply(s) != null && to.apply(s) != null)
                .map(s -> Duration.between(from.apply(s), to.apply(s)).toMillis())
                .toList());
    }
}
