package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A named tool the tool service runs for a tenant. Implementations are CDI beans; {@link ToolRegistry} finds them.
 * A tool validates its own arguments and signals expected failures with {@link ToolException}.
 * <p>
 * Tools run inside the transaction that records the call in the audit log; a tool must not mark it rollback-only
 * (so no {@code @Transactional} that rolls back on {@link ToolException}).
 */
public interface Tool {

    /** The name callers use, e.g. {@code get_battle_card}. */
    String name();

    /** Runs the tool; every data access must be scoped by {@link ToolInvocation#tenantId()}. */
    JsonNode run(ToolInvocation invocation);
}
