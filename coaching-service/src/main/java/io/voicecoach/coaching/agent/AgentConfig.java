package io.voicecoach.coaching.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
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
    @WithDefault("1s")
    Duration toolsTimeout();

    /** How long a tenant's tool definitions are reused. */
    @WithDefault("60s")
    Duration toolsCacheTtl();

    /** Instructions for tenants without their own. */
    @WithDefault("You are the voice assistant of this business. Answer the caller briefly and politely; use the tools to look things up or book, never invent facts.")
    String instructions();

    /** Per tenant: {@code voicecoach.agent.tenants."<tenant>".instructions}. */
    Map<String, Tenant> tenants();

    interface Tenant {
        Optional<String> instructions();
    }
}
