package io.voicecoach.analytics.latency;

import java.time.Instant;

/**
 * The timestamps of one suggestion's chain, any of which may be missing.
 *
 * @param receivedAt   the gateway received the triggering transcript (or its last audio frame)
 * @param transcriptAt the transcript was published
 * @param suggestedAt  the suggestion was published
 * @param deliveredAt  the gateway wrote the suggestion to the client
 */
public record SuggestionTimes(Instant receivedAt, Instant transcriptAt, Instant suggestedAt, Instant deliveredAt) {
}
