package io.voicecoach.coaching.replay;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * What a playbook version would have changed in recorded calls: every customer utterance whose suggestion differs
 * between what was shown live and what the version suggests, with counts and latencies.
 *
 * @param complete false when Kafka could not be read to the end within the read timeout, or the sessions were cut at
 *                 {@code replay.max-sessions}: the figures then cover part of the range
 * @param llm      the LLM advice compared, when the request asked for a model; null otherwise
 */
@RegisterForReflection
public record ReplayReport(int playbookVersion, String playbookName, int activeVersion, boolean complete,
                           int sessions, int utterances, Counts counts, Latency latency, List<Change> changes,
                           LlmReport llm) {

    /** Utterances by what changed. */
    @RegisterForReflection
    public record Counts(int added, int removed, int recategorised, int unchanged) {
    }

    /**
     * @param liveP50Ms          transcript published to the live suggestion published, p50 over the live suggestions
     * @param liveP95Ms          the same, p95
     * @param replayDetectP50Ms  the replayed version's detection time per utterance, p50 (no Kafka, no LLM)
     * @param replayDetectP95Ms  the same, p95
     */
    @RegisterForReflection
    public record Latency(Double liveP50Ms, Double liveP95Ms, Double replayDetectP50Ms, Double replayDetectP95Ms) {
    }

    /** One utterance whose suggestion changed: {@code added}, {@code removed} or {@code recategorised}. */
    @RegisterForReflection
    public record Change(String sessionId, String utteranceId, Instant at, String text, String change, Found live,
                         Found replayed) {
    }

    /**
     * The customer utterances asked of the LLM again: the advice (source {@code llm}) shown live against the advice
     * the model gives now, compared by kind and category.
     *
     * @param complete false when {@code replay.max-llm-calls} cut the utterances
     * @param failed   requests without an answer in the expected shape (deadline, error, garbage, refused)
     * @param costUsd  priced at the tenant's live price
     */
    @RegisterForReflection
    public record LlmReport(String model, int calls, int failed, boolean complete, long promptTokens,
                            long completionTokens, double costUsd, Double latencyP50Ms, Double latencyP95Ms,
                            Counts counts, List<Change> changes) {
    }

    /** A suggestion: the live one as published, or the one the replayed version makes. */
    @RegisterForReflection
    public record Found(String kind, String category, String source, String title) {
    }
}
