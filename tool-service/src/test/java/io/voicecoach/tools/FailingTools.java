package io.voicecoach.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Tools that fail unexpectedly, registered only in tests. */
public final class FailingTools {

    @ApplicationScoped
    public static class Exploding implements Tool {
        @Override
        public String name() {
            return "test_explodes";
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
        public String name() {
            return "test_breaks_transaction";
        }

        @Override
        public JsonNode run(ToolInvocation invocation) {
            entityManager.createNativeQuery("SELECT * FROM no_such_table").getResultList();
            throw new AssertionError("unreachable");
        }
    }

    private FailingTools() {
    }
}
