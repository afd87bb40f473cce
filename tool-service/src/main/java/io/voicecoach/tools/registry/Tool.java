package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A named tool the tool service runs for a tenant. Implementations are CDI beans; {@link ToolRegistry} finds them.
 * The registry validates the arguments against {@link ToolDefinition#parameters()} before {@link #run} is called;
 * a tool signals expected failures with {@link ToolException}.
 * <p>
 * Tools run inside the transaction that records the call in the audit log; a tool must not mark it rollback-only
 * (so no {@code @Transactional} that rolls back on {@link ToolException}).
 */
public interface Tool {

    /** Name, description and parameter schema; the name is what callers use, e.g. {@code get_battle_card}. */
    ToolDefinition definition();

    default String name() {
        return definition().name();
    }

    /** Runs the tool with schema-valid arguments; every data access must be scoped by {@link ToolInvocation#tenantId()}. */
    JsonNode run(ToolInvocation invocation);
}
