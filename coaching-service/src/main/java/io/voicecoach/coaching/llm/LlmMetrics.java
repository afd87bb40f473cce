package io.voicecoach.coaching.llm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

@ApplicationScoped
public class LlmMetrics {

    private final MeterRegistry meters;

    public LlmMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** One LLM call ended: how, how long it took, what it cost. */
    public void call(String purpose, String outcome, Duration latency, TokenUsage usage, double costUsd) {
        meters.counter("voicecoach.llm.calls", "purpose", purpose, "outcome", outcome).increment();
        Timer.builder("voicecoach.llm.latency").tag("purpose", purpose).tag("outcome", outcome)
                .publishPercentileHistogram().register(meters).record(latency);
        meters.counter("voicecoach.llm.tokens", "purpose", purpose, "type", "prompt").increment(usage.promptTokens());
        meters.counter("voicecoach.llm.tokens", "purpose", purpose, "type", "completion").increment(usage.completionTokens());
        meters.counter("voicecoach.llm.cost.usd", "purpose", purpose).increment(costUsd);
    }

    /** The model answered, but not with what was asked for (not JSON, wrong fields): ignored. */
    public void invalidAnswer(String purpose) {
        meters.counter("voicecoach.llm.answers.invalid", "purpose", purpose).increment();
    }

    /** {@code data:} lines of a stream that were not JSON. */
    public void skippedChunks(int count) {
        meters.counter("voicecoach.llm.chunks.skipped").increment(count);
    }

    /** An LLM call the pool refused ({@code code}: {@code llm_busy}, {@code llm_tenant_busy}, {@code llm_rate_limited}). */
    public void refused(String code) {
        meters.counter("voicecoach.llm.calls.refused", "code", code).increment();
    }
}
