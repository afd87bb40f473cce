package io.voicecoach.coaching.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The voice agent: sessions in {@code agent} mode of tenants with an LLM ({@code voicecoach.llm.tenants}). */
@ConfigMapping(prefix = "voicecoach.agent")
public interface AgentConfig {

    /** LLM calls per reply: tool calls are run after rounds 1..n-1; round n is asked to answer without tools. */
    @WithDefault("4")
    int maxRounds();

    /** How long a round waits for all its {@code tool.results}; a missing result is fed back as a timeout error. */
    @WithDefault("5s")
    Duration toolTimeout();

    /** Longest one LLM round may stream before the reply fails. */
    @WithDefault("30s")
    Duration roundTimeout();

    /** Characters of conversation (messages, tool calls and results) sent with each round; oldest turns dropped first. */
    @WithDefault("8000")
    int historyChars();

    /** tool-service base URL: {@code GET {tools-url}/internal/v1/tenants/{tenantId}/tools}. */
    @WithDefault("http://localhost:8083")
    String toolsUrl();

    /** Limit of the tool-definitions request; without an answer the agent talks without tools (or with a stale copy). */
    @WithDefault("3s")
    Duration toolsTimeout();

    /** How long a tenant's tool definitions are reused. */
    @WithDefault("60s")
    Duration toolsCacheTtl();

    /** Instructions for tenants without their own. */
    @WithDefault("You are the voice assistant of this business. Answer the caller briefly and politely; use the tools to look things up or book, never invent facts.")
    String instructions();

    /**
     * What instructions from a client (the {@code instructions} of {@code session.update} or {@code response.create},
     * sent by whoever holds a client secret) do to the agent's system prompt: {@code append} (default: added after the
     * tenant's instructions as a quoted, length-limited addition that cannot override them or the fixed rules),
     * {@code ignore}, or {@code replace} (they replace the tenant's instructions; the fixed rules stay; only for tenants
     * whose clients are trusted servers).
     */
    @WithDefault("append")
    ClientInstructions clientInstructions();

    /** Characters of client instructions kept when they are appended (the rest is cut). */
    @WithDefault("1000")
    int clientInstructionsMaxChars();

    /** Characters of one tool result given to the model; a longer one is passed as a truncated JSON string. */
    @WithDefault("4000")
    int toolResultChars();

    /**
     * Whether the agent may call the functions a client declares in {@code session.update} {@code tools} (they run on
     * the client, which answers with a {@code function_call_output}; they reach no tenant data). Default allowed.
     */
    @WithDefault("true")
    boolean clientFunctions();

    /** Per tenant: {@code voicecoach.agent.tenants."<tenant>".instructions|tools|client-instructions|client-functions}. */
    Map<String, Tenant> tenants();

    interface Tenant {
        /** The tenant's own instructions, the base of its agent's system prompt. */
        Optional<String> instructions();

        /**
         * The tools the tenant's agent may call, by name (comma-separated); absent = every tool tool-service lists for
         * the tenant. A tool the model calls outside this set gets {@code unknown_tool} and is never run.
         */
        Optional<List<String>> tools();

        /** The tenant's own {@code client-instructions}. */
        Optional<ClientInstructions> clientInstructions();

        /** The tenant's own {@code client-functions}: false ignores the client's {@code tools} and {@code tool_choice}. */
        Optional<Boolean> clientFunctions();
    }

    enum ClientInstructions {
        /** Added after the tenant's instructions, quoted, within {@code client-instructions-max-chars}. */
        APPEND,
        /** Left out of the prompt. */
        IGNORE,
        /** Used instead of the tenant's instructions (the fixed rules are always added). */
        REPLACE
    }
}
