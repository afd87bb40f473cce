package io.voicecoach.coaching.replay;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A replay: one session ({@code sessionId}, optionally within [{@code from}, {@code to})), or every session of the
 * tenant in [{@code from}, {@code to}); through {@code playbookVersion} (the active one when null), and, when
 * {@code llm} is given, through the tenant's LLM with {@code llm.model}.
 */
@RegisterForReflection
public record ReplayRequest(String sessionId, Instant from, Instant to, Integer playbookVersion, Llm llm) {

    /** @param model the model to ask; the tenant's live model when null */
    @RegisterForReflection
    public record Llm(String model) {
    }
}
