package io.voicecoach.coaching.llm;

/** A tenant's resolved LLM settings. */
public record TenantLlm(String tenantId, String baseUrl, String liveModel, String summaryModel, Price livePrice,
                        Price summaryPrice) {

    /** USD per 1,000 tokens. */
    public record Price(double prompt, double completion) {
        public double cost(TokenUsage usage) {
            return usage.promptTokens() * prompt / 1000.0 + usage.completionTokens() * completion / 1000.0;
        }
    }
}
