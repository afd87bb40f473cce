package io.voicecoach.analytics.metrics;

/** An {@code llm.usage} event: one LLM call made for the session. */
public record LlmCall(String purpose, String model, long promptTokens, long completionTokens, double costUsd,
                      long latencyMs, String outcome) {

    public static final String OK = "ok";
}
