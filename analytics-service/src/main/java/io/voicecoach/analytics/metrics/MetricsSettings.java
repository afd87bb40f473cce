package io.voicecoach.analytics.metrics;

/**
 * Thresholds of the conversation metrics.
 *
 * @param monologueGapMs           same-speaker utterances separated by less than this are one monologue
 * @param objectionResponseMs      the rep must start speaking within this long after an objection ends
 */
public record MetricsSettings(long monologueGapMs, long objectionResponseMs) {

    public static final MetricsSettings DEFAULTS = new MetricsSettings(2000, 10_000);
}
