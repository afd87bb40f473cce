package io.voicecoach.analytics.api;

import io.voicecoach.analytics.live.LiveCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * Right to erasure: deletes a session and everything derived from it (utterances, suggestions, tool calls), and
 * remembers its id so that its late or redelivered events are dropped rather than stored again.
 */
@ApplicationScoped
public class Erasure {

    private static final List<String> DERIVED = List.of("tool_calls", "suggestions", "utterances", "stage_changes",
            "llm_calls", "transcription_failures");

    private final EntityManager entityManager;
    private final LiveCalls live;

    public Erasure(EntityManager entityManager, LiveCalls live) {
        this.entityManager = entityManager;
        this.live = live;
    }

    /** @return false if the tenant has no such session */
    @Transactional
    public boolean erase(String tenantId, String sessionId) {
        // the lock makes ingestion of this session wait, then see the erasure (BatchWriter)
        boolean exists = !entityManager.createNativeQuery(
                        "select session_id from sessions where tenant_id = ?1 and session_id = ?2 for update")
                .setParameter(1, tenantId).setParameter(2, sessionId).getResultList().isEmpty();
        if (!exists) {
            return false;
        }
        for (String table : DERIVED) {
            entityManager.createNativeQuery("delete from " + table + " where tenant_id = ?1 and session_id = ?2")
                    .setParameter(1, tenantId).setParameter(2, sessionId).executeUpdate();
        }
        entityManager.createNativeQuery("delete from sessions where tenant_id = ?1 and session_id = ?2")
                .setParameter(1, tenantId).setParameter(2, sessionId).executeUpdate();
        entityManager.createNativeQuery("""
                        insert into erased_sessions (session_id, tenant_id) values (?1, ?2)
                        on conflict (session_id) do nothing""")
                .setParameter(1, sessionId).setParameter(2, tenantId).executeUpdate();
        live.erase(sessionId);
        return true;
    }
}
