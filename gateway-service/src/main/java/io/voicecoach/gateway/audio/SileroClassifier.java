package io.voicecoach.gateway.audio;

/**
 * Silero VAD on 32 ms frames (512 samples at 16 kHz). A frame is speech when the model's probability reaches the
 * threshold; while speaking, 0.15 below it (the hysteresis of Silero's own {@code get_speech_timestamps}). Keeps the
 * track's recurrent state and the last 64 samples as the next window's context.
 */
public final class SileroClassifier implements SpeechClassifier {

    static final double HYSTERESIS = 0.15;

    private final SileroModel model;
    private final float[] input = new float[SileroModel.CONTEXT + SileroModel.WINDOW];
    private final float[] state = new float[SileroModel.STATE];
    private float lastProbability;

    public SileroClassifier(SileroModel model) {
        this.model = model;
    }

    @Override
    public int frameSamples() {
        return SileroModel.WINDOW;
    }

    @Override
    public boolean isSpeech(short[] frame, double threshold, boolean speaking) {
        System.arraycopy(input, SileroModel.WINDOW, input, 0, SileroModel.CONTEXT);
        for (int i = 0; i < SileroModel.WINDOW; i++) {
            input[SileroModel.CONTEXT + i] = frame[i] / 32768f;
        }
        lastProbability = model.probability(input, state);
        double needed = speaking ? Math.max(threshold - HYSTERESIS, 0.01) : threshold;
        return lastProbability >= needed;
    }

    /** The probability of the last frame, for measurements. */
    public float lastProbability() {
        return lastProbability;
    }
}
