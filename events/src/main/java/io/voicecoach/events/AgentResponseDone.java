package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A reply ended ({@code response.done}).
 *
 * @param status        {@code completed}, {@code cancelled}, {@code failed}
 * @param deliveredText the text actually sent before the reply ended (shorter than planned after a barge-in)
 * @param code          why a {@code failed} reply failed, when coaching knows: {@code llm_busy}, {@code llm_tenant_busy},
 *                      {@code llm_rate_limited} (the LLM call was refused, docs/contracts.md), {@code llm_error},
 *                      {@code llm_timeout}, {@code max_rounds}; null otherwise
 */
@RegisterForReflection
public record AgentResponseDone(String responseId, String status, String deliveredText, String code)
        implements AgentReplyEvent {

    /** A reply that ended without an error code. */
    public AgentResponseDone(String responseId, String status, String deliveredText) {
        this(responseId, status, deliveredText, null);
    }
}
