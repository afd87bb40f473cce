package io.voicecoach.gateway.audio;

/** Makes the turn detector of a new track with the configured voice activity engine. */
@FunctionalInterface
public interface TurnDetectors {

    TurnDetector create(TurnDetection settings);

    /** The energy engine with these knobs. */
    static TurnDetectors energy(TurnDetector.VadTuning tuning) {
        return settings -> TurnDetector.energy(settings, tuning);
    }
}
