package io.voicecoach.transcription.stt;

/**
 * A speech-to-text engine. Each utterance of a session track gets its own {@link Recognizer}; engines that keep
 * heavy models share them between recognizers themselves.
 */
public interface SttEngine {

    /** Name used in config ({@code voicecoach.stt.engine}) and in {@code Transcript.engine}. */
    String name();

    /** Opens a recognizer for one utterance. May block while the engine frees a decoder. */
    Recognizer open(RecognitionRequest request);
}
