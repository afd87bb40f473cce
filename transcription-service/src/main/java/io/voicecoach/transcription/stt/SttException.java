package io.voicecoach.transcription.stt;

/** An engine could not recognise an utterance; {@code code} names why (metrics tag, log). */
public class SttException extends RuntimeException {

    private final String code;

    public SttException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SttException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
