package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The gateway's VAD heard speech start on a track; in agent mode a caller speaking cancels the reply (barge-in). */
@RegisterForReflection
public record SpeechStarted(String track, String utteranceId, long audioStartMs) implements SessionEvent {
}
