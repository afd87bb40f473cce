package io.voicecoach.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Tools that fail or overrun, registered only in tests. */
public final class FailingTools {

    static ToolDefinition anyArguments(String name) {
        return new ToolDefinition(name, "test tool", EventJson.MAPPER.createObjectNode().put("type", "object"));
    }

    @ApplicationScoped
    public static class Exploding implements Tool {
        @Override
        public ToolDefinition definition() {
            return anyArguments("test_explodes");
        }

        @Override
        public JsonNode run(ToolInvocation invocation) {
            throw new IllegalStateException("boom");
        }
    }

    /** Fails in SQL, which leaves the call's transaction rollback-only. */
    @ApplicationScoped
    public static class BreaksTransaction implements Tool {
        private final EntityManager entityManager;

        public BreaksTransaction(EntityManager entityManager) {
            this.entityManager = entityManager;
        }

        @Override
        public ToolDefinition definition() {
            return anyArguments("test_breaks_transaction");
        }

        @Override
        public JsonNode run(ToolInvocation invocation) {
            entityManager.createNativeQuery("SELECT * FROM no_such_table").getResultList();
            throw new AssertionError("unreachable");
        }
    }

    /**
     * Writes a lead, then sleeps 5 s in SQL; its limit is 800 ms ({@code %test} config), so PostgreSQL cancels the
     * sleep and the lead must not survive.
     */
    @ApplicationScoped
    public static class SleepsInSql implements Tool {
        private final EntityManager entityManager;

        public SleepsInSql(EntityManager entityManager) {
            this.entityManager = entityManager;
        }

        @Override
        public ToolDefinition definition() {
            return anyArguments("test_sleeps_in_sql");
        }

        @Override
        public JsonNode run(ToolInvocation invocation) {
            entityManager.createNativeQuery("INSERT INTO leads (tenant_id, name, email) VALUES (:t, 'Slow', :e)")
                    .setParameter("t", invocation.tenantId()).setParameter("e", invocation.callId() + "@slow.example")
                    .executeUpdate();
            entityManager.createNativeQuery("SELECT pg_sleep(5)").getSingleResult();
            return EventJson.MAPPER.createObjectNode();
        }
    }

    private FailingTools() {
    }
}
