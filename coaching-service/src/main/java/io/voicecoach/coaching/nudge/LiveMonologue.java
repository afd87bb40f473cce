package io.voicecoach.coaching.nudge;

import java.time.Instant;
import java.util.UUID;

/**
 * A monologue going on that reaches the nudge threshold at {@code due} (event time) if the rep keeps talking.
 *
 * @param utteranceId    the rep's utterance being spoken
 * @param partialEventId the partial transcript event it is foreseen from (the nudge's id derives from it)
 * @param receivedAt     when that utterance's audio reached the gateway
 */
public record LiveMonologue(Instant due, String utteranceId, UUID partialEventId, Instant receivedAt) {
}
