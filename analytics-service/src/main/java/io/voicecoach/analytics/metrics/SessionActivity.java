package io.voicecoach.analytics.metrics;

import java.util.List;

/**
 * What the pipeline reported about a session besides speech and prompts.
 *
 * @param failureCodes the {@code code} of each {@code transcript.failed} event
 */
public record SessionActivity(List<StageChange> stageChanges, List<LlmCall> llmCalls, List<String> failureCodes) {

    public static final SessionActivity NONE = new SessionActivity(List.of(), List.of(), List.of());
}
