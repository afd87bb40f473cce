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
     * @param speed the session's {@code audio.output.speed}: times the engine's normal pace, 0.25 to 1.5
     */
    Speech synthesize(String text, String voice, double speed);

    /** At the normal pace. */
    default Speech synthesize(String text, String voice) {
        return synthesize(text, voice, 1.0);
    }

    /** PCM16 little-endian mono. */
    record Speech(byte[] pcm, int sampleRate) {
    }
}
