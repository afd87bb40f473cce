package io.voicecoach.gateway.audio;

/**
 * Energy voice activity on 20 ms frames. A frame is speech when its RMS level (dBFS) is at least
 * {@code 3 + 15 x threshold} dB above the noise floor ({@link #HYSTERESIS_DB} less while already speaking) and above
 * an absolute minimum. The noise floor is the quietest frame of the last {@code floorWindowMs} (minimum statistics),
 * so it follows a changing background without being pulled up by speech, which always has quieter gaps.
 */
public final class EnergyClassifier implements SpeechClassifier {

    public static final int FRAME_MS = 20;
    public static final int FRAME_SAMPLES = io.voicecoach.events.AudioHeaders.SAMPLE_RATE * FRAME_MS / 1000;
    static final double HYSTERESIS_DB = 3;
    static final double SILENCE_DBFS = -100;

    private final double minSpeechDbfs;
    private final double[] floorWindow;
    private int floorFrames;
    private int floorNext;

    public EnergyClassifier(double minSpeechDbfs, int floorWindowMs) {
        this.minSpeechDbfs = minSpeechDbfs;
        this.floorWindow = new double[Math.max(1, floorWindowMs / FRAME_MS)];
    }

    /** Level above the noise floor, in dB, that a frame needs to count as speech at this threshold. */
    public static double marginDb(double threshold) {
        return 3 + 15 * threshold;
    }

    @Override
    public int frameSamples() {
        return FRAME_SAMPLES;
    }

    @Override
    public boolean isSpeech(short[] frame, double threshold, boolean speaking) {
        double level = levelDbfs(frame, 0, FRAME_SAMPLES);
        double floor = updateFloor(level);
        double margin = marginDb(threshold) - (speaking ? HYSTERESIS_DB : 0);
        return level >= minSpeechDbfs && level >= floor + margin;
    }

    private double updateFloor(double level) {
        floorWindow[floorNext] = level;
        floorNext = (floorNext + 1) % floorWindow.length;
        floorFrames = Math.min(floorFrames + 1, floorWindow.length);
        double floor = Double.MAX_VALUE;
        for (int i = 0; i < floorFrames; i++) {
            floor = Math.min(floor, floorWindow[i]);
        }
        return floor;
    }

    /** RMS level of {@code length} samples in dB relative to full scale, at least {@link #SILENCE_DBFS}. */
    public static double levelDbfs(short[] samples, int offset, int length) {
        double energy = 0;
        for (int i = offset; i < offset + length; i++) {
            energy += (double) samples[i] * samples[i];
        }
        double rms = Math.sqrt(energy / length) / 32768.0;
        return rms <= 0 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, 20 * Math.log10(rms));
    }
}
