package io.voicecoach.coaching.call;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * Speech one leg of a call heard, on the wall clock (each leg has its own session time, so offsets do not travel).
 *
 * @param isFinal false for speech still going on (a partial transcript)
 * @param startAt when the utterance started: its transcript's {@code receivedAt} less its length
 * @param endAt   when it ended (so far): its transcript's {@code receivedAt}, the gateway's clock
 */
@RegisterForReflection
public record LegSpeech(String utteranceId, String track, boolean isFinal, Instant startAt, Instant endAt) {
}
