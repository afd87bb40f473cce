package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One LLM call made for a session, for token and cost accounting.
 *
 * @param purpose {@code coaching}, {@code agent} or {@code summary}
 * @param outcome {@code ok}, {@code deadline}, {@code error}, {@code cancelled}
 */
@RegisterForReflection
public record LlmUsage(String requestId, String purpose, String model, int promptTokens, int completionTokens, double costUsd, long latencyMs, String outcome) implements CoachingEvent {
}
