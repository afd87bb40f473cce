package io.voicecoach.analytics.metrics;

/**
 * One utterance as the metrics see it.
 *
 * @param fromAudio transcribed from audio (any engine but typed {@code text})
 */
public record Speech(String utteranceId, String track, String text, long startMs, long endMs, boolean fromAudio) {

    long lengthMs() {
        return Math.max(0, endMs - startMs);
    }
}
