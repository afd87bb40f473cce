package io.voicecoach.gateway.audio;

import io.voicecoach.events.AudioHeaders;

/**
 * Turns per-frame speech decisions of a {@link SpeechClassifier} into speech start and stop. Speech starts after
 * {@code minSpeechMs} of consecutive speech frames and stops after {@link TurnDetection#silenceDurationMs()} without
 * one (the hangover). The same rules apply whatever the classifier (energy or a model), so {@code threshold},
 * {@code prefix_padding_ms} and {@code silence_duration_ms} mean the same for every engine.
 */
public final class TurnDetector {

    private static final int SAMPLES_PER_MS = AudioHeaders.SAMPLE_RATE / 1000;

    public enum Transition { NONE, STARTED, STOPPED }

    private TurnDetection settings;
    private final SpeechClassifier classifier;
    private final int frameMs;
    private final int minSpeechFrames;

    private boolean speaking;
    private int speechRun;
    private long speechRunStartMs;
    private int silentMs;
    private long startMs;
    private long endMs;

    public TurnDetector(TurnDetection settings, SpeechClassifier classifier, int minSpeechMs) {
        this.settings = settings;
        this.classifier = classifier;
        this.frameMs = classifier.frameSamples() / SAMPLES_PER_MS;
        this.minSpeechFrames = Math.max(1, (minSpeechMs + frameMs - 1) / frameMs);
    }

    /** Knobs beyond the Realtime API's three; the level and floor ones apply to the energy classifier only. */
    public record VadTuning(double minSpeechDbfs, int minSpeechMs, int floorWindowMs) {
        public static final VadTuning DEFAULT = new VadTuning(-60, 60, 2000);
    }

    /** A detector with the energy classifier. */
    public static TurnDetector energy(TurnDetection settings, VadTuning tuning) {
        return new TurnDetector(settings, new EnergyClassifier(tuning.minSpeechDbfs(), tuning.floorWindowMs()),
                tuning.minSpeechMs());
    }

    public void reconfigure(TurnDetection settings) {
        this.settings = settings;
    }

    public TurnDetection settings() {
        return settings;
    }

    public int frameSamples() {
        return classifier.frameSamples();
    }

    /** Speech a turn needs before it starts, a whole number of frames. */
    public int onsetMs() {
        return minSpeechFrames * frameMs;
    }

    /**
     * Classifies one frame of {@link #frameSamples()} samples starting at {@code frameStartMs} on the track.
     *
     * @return {@link Transition#STARTED} (see {@link #startMs()}) or {@link Transition#STOPPED} (see {@link #endMs()})
     */
    public Transition step(short[] frame, long frameStartMs) {
        boolean speech = classifier.isSpeech(frame, settings.threshold(), speaking);
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
        silentMs = speech ? 0 : silentMs + frameMs;
        if (silentMs < settings.silenceDurationMs()) {
            return Transition.NONE;
        }
        speaking = false;
        speechRun = 0;
        endMs = frameStartMs + frameMs;
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
}
