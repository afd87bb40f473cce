package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * What a speaker said, from typed text or a speech-to-text engine.
 *
 * @param utteranceId stable id of the utterance (the Realtime item id); partials and the final share it
 * @param track       {@link Track#AGENT} or {@link Track#CUSTOMER}
 * @param isFinal     false for a partial (delta) transcript
 * @param startMs     offset of the utterance's start from the session start
 * @param endMs       offset of the utterance's end from the session start
 * @param confidence  0..1; 1 for typed text
 * @param engine      {@code text} for typed input, else the STT engine's name
 * @param receivedAt  when the gateway received the text or the utterance's last audio frame
 */
@RegisterForReflection
public record Transcript(String utteranceId, String track, String text, boolean isFinal, long startMs, long endMs,
                         double confidence, String engine, Instant receivedAt) implements TranscriptEvent {
}
