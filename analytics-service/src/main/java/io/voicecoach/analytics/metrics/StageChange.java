package io.voicecoach.analytics.metrics;

/** A {@code coaching.stage_changed} event: the call entered {@code stage} at {@code atMs} (offset from the start). */
public record StageChange(String methodology, String stage, String previousStage, String utteranceId, long atMs) {
}
