package io.voicecoach.transcription.stt;

import java.util.Optional;

/**
 * Recognises one utterance from PCM16 LE mono 16 kHz chunks. Calls come from one thread at a time, in order:
 * {@link #accept} for every chunk, then {@link #finish} once, then {@link #close} (always, also after a failure).
 */
public interface Recognizer extends AutoCloseable {

    void accept(byte[] pcm);

    /**
     * The best hypothesis of the audio so far, if the engine produces partial results; cheap (called after every
     * chunk), so engines that need work for it do that work in the background.
     */
    default Optional<RecognitionResult> partial() {
        return Optional.empty();
    }

    /** Ends the utterance and returns the final result; the caller bounds how long it may take. */
    RecognitionResult finish() throws Exception;

    @Override
    void close();
}
