package io.voicecoach.gateway.audio;

/**
 * Decides, one fixed-size frame of 16 kHz PCM16 at a time, whether the frame is speech. One instance per track: it
 * may keep state across frames (a noise floor, a model's recurrent state). Not thread-safe.
 */
public interface SpeechClassifier {

    /** Samples per frame; a whole number of milliseconds at 16 kHz. */
    int frameSamples();

    /**
     * @param threshold the {@code server_vad} threshold, 0..1
     * @param speaking  whether the track is inside an utterance, for hysteresis
     */
    boolean isSpeech(short[] frame, double threshold, boolean speaking);
}
