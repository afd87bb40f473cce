package io.voicecoach.analytics.ingest;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.TranscriptFailed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Insert-only records of a session, keyed by the event that reported them: stage changes, LLM calls, STT failures. */
@ApplicationScoped
public class ActivityRecords {

    private final EntityManager entityManager;

    public ActivityRecords(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void stageChange(Envelope event, StageChanged change) {
        entityManager.createNativeQuery("""
                        insert into stage_changes (event_id, tenant_id, session_id, methodology, stage, previous_stage,
                                                   utterance_id, at_ms, occurred_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) on conflict do nothing""")
                .setParameter(1, event.eventId()).setParameter(2, event.tenantId()).setParameter(3, event.sessionId())
                .setParameter(4, change.methodology()).setParameter(5, change.stage())
                .setParameter(6, change.previousStage()).setParameter(7, change.utteranceId())
                .setParameter(8, change.atMs()).setParameter(9, event.occurredAt())
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void llmCall(Envelope event, LlmUsage usage) {
        entityManager.createNativeQuery("""
                        insert into llm_calls (event_id, tenant_id, session_id, request_id, purpose, model, prompt_tokens,
                                               completion_tokens, cost_usd, latency_ms, outcome, occurred_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) on conflict do nothing""")
                .setParameter(1, event.eventId()).setParameter(2, event.tenantId()).setParameter(3, event.sessionId())
                .setParameter(4, usage.requestId()).setParameter(5, usage.purpose()).setParameter(6, usage.model())
                .setParameter(7, (long) usage.promptTokens()).setParameter(8, (long) usage.completionTokens())
                .setParameter(9, usage.costUsd()).setParameter(10, usage.latencyMs())
                .setParameter(11, usage.outcome()).setParameter(12, event.occurredAt())
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void transcriptionFailure(Envelope event, TranscriptFailed failed) {
        entityManager.createNativeQuery("""
                        insert into transcription_failures (event_id, tenant_id, session_id, utterance_id, track, code,
                                                            message, engine, occurred_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) on conflict do nothing""")
                .setParameter(1, event.eventId()).setParameter(2, event.tenantId()).setParameter(3, event.sessionId())
                .setParameter(4, failed.utteranceId()).setParameter(5, failed.track()).setParameter(6, failed.code())
                .setParameter(7, failed.message()).setParameter(8, failed.engine())
                .setParameter(9, event.occurredAt())
                .executeUpdate();
    }
}
