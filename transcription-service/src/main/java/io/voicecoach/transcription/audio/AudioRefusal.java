package io.voicecoach.transcription.audio;

/**
 * This service refused the utterance's audio before any engine saw it: {@code utterance_too_long} or
 * {@code audio_rate_exceeded} ({@link FailureCodes}), which is the {@code transcript.failed} code.
 */
final class AudioRefusal extends RuntimeException {

    private final String code;

    AudioRefusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
