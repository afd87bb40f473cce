package io.voicecoach.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.metrics.LlmCall;
import io.voicecoach.analytics.metrics.StageChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.List;

/** Reads a session's stage changes, LLM calls, transcription failures (tenant-scoped, in event-time order). */
@ApplicationScoped
public class ActivityViews {

    @RegisterForReflection
    public record LlmCallView(String requestId, String purpose, String model, long promptTokens,
                              long completionTokens, double costUsd, long latencyMs, String outcome,
                              Instant occurredAt) {
        LlmCall metric() {
            return new LlmCall(purpose, model, promptTokens, completionTokens, costUsd, latencyMs, outcome);
        }
    }

    @RegisterForReflection
    public record FailureView(String utteranceId, String track, String code, String message, String engine,
                              Instant failedAt) {
    }

    /**
     * The voice agent's speech in the session (agent.speech): {@code talkMs} of audio synthesized for the caller
     * ({@code seconds} the same in seconds), {@code characters} spoken, {@code costUsd} at the tenant's
     * text-to-speech prices, {@code items} spoken and {@code failures} (items the engine gave up on).
     */
    @RegisterForReflection
    public record AgentSpeechView(long talkMs, double seconds, long characters, double costUsd, int items,
                                  int failures) {
    }

    /** The post-call summary ({@code coaching.summary}). */
    @RegisterForReflection
    public record SummaryView(String text, JsonNode nextSteps, String model, Instant summarizedAt) {
    }

    private final EntityManager entityManager;

    public ActivityViews(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    List<StageChange> stageChanges(String tenantId, String sessionId) {
        return rows("""
                select methodology, stage, previous_stage, utterance_id, at_ms from stage_changes
                where tenant_id = ?1 and session_id = ?2 order by at_ms, occurred_at, event_id""", tenantId, sessionId)
                .stream().map(r -> new StageChange((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        Rows.number(r[4]))).toList();
    }

    List<LlmCallView> llmCalls(String tenantId, String sessionId) {
        return rows("""
                select request_id, purpose, model, prompt_tokens, completion_tokens, cost_usd, latency_ms, outcome,
                       occurred_at
                from llm_calls where tenant_id = ?1 and session_id = ?2 order by occurred_at, event_id""",
                tenantId, sessionId)
                .stream().map(r -> new LlmCallView((String) r[0], (String) r[1], (String) r[2], Rows.number(r[3]),
                        Rows.number(r[4]), ((Number) r[5]).doubleValue(), Rows.number(r[6]), (String) r[7],
                        Rows.instant(r[8]))).toList();
    }

    List<FailureView> transcriptionFailures(String tenantId, String sessionId) {
        return rows("""
                select utterance_id, track, code, message, engine, occurred_at from transcription_failures
                where tenant_id = ?1 and session_id = ?2 order by occurred_at, event_id""", tenantId, sessionId)
                .stream().map(r -> new FailureView((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        (String) r[4], Rows.instant(r[5]))).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, String tenantId, String sessionId) {
        return entityManager.createNativeQuery(sql, Object[].class).setParameter(1, tenantId)
                .setParameter(2, sessionId).getResultList();
    }
}
