package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The STT engine could not transcribe an utterance; the gateway forwards it as
 * {@code conversation.item.input_audio_transcription.failed}.
 *
 * @param code {@code engine_timeout}, {@code engine_error}, {@code engine_unavailable}, {@code audio_invalid}
 */
@RegisterForReflection
public record TranscriptFailed(String utteranceId, String track, String code, String message, String engine) implements TranscriptEvent {
}
