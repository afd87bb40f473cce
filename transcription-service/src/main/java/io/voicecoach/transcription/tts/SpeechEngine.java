package io.voicecoach.transcription.tts;

/**
 * Turns one sentence or clause into speech. Implementations block the calling thread (the speech stage runs them on
 * its own bounded pool) and throw {@link SpeechException} with a {@code agent.speech.failed} code.
 */
public interface SpeechEngine {

    /** The name clients see in {@code AgentAudioDone.engine} and {@code AgentSpeechFailed.engine}. */
    String name();

    /**
     * @param text  the words, never blank
     * @param voice an OpenAI voice name ({@code alloy}, ...); an unknown one gets the engine's default voice
     */
    Speech synthesize(String text, String voice);

    /** PCM16 little-endian mono. */
    record Speech(byte[] pcm, int sampleRate) {
    }
}
