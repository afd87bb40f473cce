package io.voicecoach.gateway.audio;

/**
 * Energy-based voice activity detection on 20 ms frames of 16 kHz PCM16. A frame is speech when its RMS level (dBFS)
 * is at least {@link TurnDetection#marginDb()} above the noise floor and above an absolute minimum. The noise floor is
 * the quietest frame of the last {@code floorWindowMs} (minimum statistics), so it follows a changing background
 * without being pulled up by speech, which always has quieter gaps. Speech starts after {@code minSpeechMs} of
 * consecutive speech frames and stops after {@link TurnDetection#silenceDurationMs()} without one (the hangover);
 * while speaking, frames count as speech down to {@link #HYSTERESIS_DB} below the onset margin.
 */
public final class TurnDetector {

    public static final int FRAME_MS = 20;
    public static final int FRAME_SAMPLES = io.voicecoach.events.AudioHeaders.SAMPLE_RATE * FRAME_MS / 1000;
    static final double HYSTERESIS_DB = 3;
    static final double SILENCE_DBFS = -100;

    public enum Transition { NONE, STARTED, STOPPED }

    private TurnDetection settings;
    private final double minSpeechDbfs;
    private final int minSpeechFrames;
    private final double[] floorWindow;
    private int floorFrames;
    private int floorNext;

    private boolean speaking;
    private int speechRun;
    private long speechRunStartMs;
    private int silentMs;
    private long startMs;
    private long endMs;

    public TurnDetector(TurnDetection settings, VadTuning tuning) {
        this.settings = settings;
        this.minSpeechDbfs = tuning.minSpeechDbfs();
        this.minSpeechFrames = Math.max(1, tuning.minSpeechMs() / FRAME_MS);
        this.floorWindow = new double[Math.max(1, tuning.floorWindowMs() / FRAME_MS)];
    }

    /** Knobs beyond the Realtime API's three. */
    public record VadTuning(double minSpeechDbfs, int minSpeechMs, int floorWindowMs) {
        public static final VadTuning DEFAULT = new VadTuning(-60, 60, 2000);
    }

    public void reconfigure(TurnDetection settings) {
        this.settings = settings;
    }

    public TurnDetection settings() {
        return settings;
    }

    /**
     * Classifies one frame starting at {@code frameStartMs} on the track.
     *
     * @return {@link Transition#STARTED} (see {@link #startMs()}) or {@link Transition#STOPPED} (see {@link #endMs()})
     */
    public Transition step(short[] samples, int offset, long frameStartMs) {
        double level = levelDbfs(samples, offset, FRAME_SAMPLES);
        double floor = updateFloor(level);
        double margin = settings.marginDb() - (speaking ? HYSTERESIS_DB : 0);
        boolean speech = level >= minSpeechDbfs && level >= floor + margin;
        if (!speaking) {
            if (!speech) {
                speechRun = 0;
                return Transition.NONE;
            }
            if (speechRun++ == 0) {
                speechRunStartMs = frameStartMs;
            }
            if (speechRun < minSpeechFrames) {
                return Transition.NONE;
            }
            speaking = true;
            silentMs = 0;
            startMs = speechRunStartMs;
            return Transition.STARTED;
        }
        silentMs = speech ? 0 : silentMs + FRAME_MS;
        if (silentMs < settings.silenceDurationMs()) {
            return Transition.NONE;
        }
        speaking = false;
        speechRun = 0;
        endMs = frameStartMs + FRAME_MS;
        return Transition.STOPPED;
    }

    /** Ends speech without a transition (the client committed or cleared). */
    public void reset() {
        speaking = false;
        speechRun = 0;
        silentMs = 0;
    }

    public boolean speaking() {
        return speaking;
    }

    /** Where the current (or last) speech started, without prefix padding. */
    public long startMs() {
        return startMs;
    }

    /** Where the last speech stopped, hangover included. */
    public long endMs() {
        return endMs;
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
