package io.voicecoach.transcription.stt;

/**
 * A speech-to-text engine. Each utterance of a session track gets its own {@link Recognizer}; engines that keep
 * heavy models share them between recognizers themselves.
 */
public interface SttEngine {

    /** Name used in config ({@code voicecoach.stt.engine}), in {@code session.update} and in {@code Transcript.engine}. */
    String name();

    /** False when the engine is not configured on this instance (no model file, no API key): nobody can choose it. */
    default boolean enabled() {
        return true;
    }

    /**
     * True when the engine sends the audio off this machine (a cloud or remote HTTP service): a client may choose it only
     * for tenants whose allowed list names it ({@code voicecoach.stt.allowed-engines}, see {@link EngineSelector}).
     */
    default boolean external() {
        return false;
    }

    /** Opens a recognizer for one utterance. May block while the engine frees a decoder. */
    Recognizer open(RecognitionRequest request);
}
