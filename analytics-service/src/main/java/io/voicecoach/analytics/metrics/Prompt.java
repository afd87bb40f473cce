package io.voicecoach.analytics.metrics;

/** A coaching suggestion as the metrics see it: what it was about and whether it reached the rep. */
public record Prompt(String utteranceId, String kind, String category, boolean delivered) {

    public static final String OBJECTION = "objection";

    boolean isObjection() {
        return OBJECTION.equals(kind) && utteranceId != null && category != null;
    }
}
