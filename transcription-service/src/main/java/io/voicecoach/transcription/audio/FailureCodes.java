package io.voicecoach.transcription.audio;

import io.voicecoach.transcription.stt.SttException;

import java.util.concurrent.TimeoutException;

/**
 * Maps why an utterance was not transcribed onto the {@code TranscriptFailed.code} values clients see; the engine's
 * own, finer code stays in the message and the metrics.
 */
final class FailureCodes {

    static final String TIMEOUT = "engine_timeout";
    static final String ERROR = "engine_error";
    static final String UNAVAILABLE = "engine_unavailable";
    static final String AUDIO_INVALID = "audio_invalid";
    /** The utterance went on past {@code voicecoach.stt.max-utterance} of audio. */
    static final String UTTERANCE_TOO_LONG = "utterance_too_long";
    /** The session sent audio faster than {@code voicecoach.stt.max-audio-rate} times real time. */
    static final String AUDIO_RATE_EXCEEDED = "audio_rate_exceeded";

    static String of(Throwable cause) {
        if (cause instanceof AudioRefusal refusal) {
            return refusal.code();
        }
        if (cause instanceof TimeoutException) {
            return TIMEOUT;
        }
        if (!(cause instanceof SttException stt)) {
            return ERROR;
        }
        return switch (stt.code()) {
            case TIMEOUT -> TIMEOUT;
            case UNAVAILABLE, "engine_unreachable", "engine_unauthorized", "engine_overloaded" -> UNAVAILABLE;
            case AUDIO_INVALID, "utterance_too_long" -> AUDIO_INVALID;
            default -> ERROR;
        };
    }

    private FailureCodes() {
    }
}
