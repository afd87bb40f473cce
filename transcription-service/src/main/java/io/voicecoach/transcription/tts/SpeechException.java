package io.voicecoach.transcription.tts;

/** A synthesis failed; {@code code} is the {@code AgentSpeechFailed.code} clients see. */
public class SpeechException extends RuntimeException {

    public static final String TIMEOUT = "engine_timeout";
    public static final String ERROR = "engine_error";
    public static final String UNAVAILABLE = "engine_unavailable";

    private final String code;

    public SpeechException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SpeechException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
