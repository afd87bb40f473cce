package io.voicecoach.coaching.replay;

import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.llm.CoachingPrompt;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.llm.LiveCoach;
import io.voicecoach.coaching.llm.LlmClient;
import io.voicecoach.coaching.llm.LlmException;
import io.voicecoach.coaching.llm.LlmMetrics;
import io.voicecoach.coaching.llm.LlmRefusedException;
import io.voicecoach.coaching.llm.TenantLlm;
import io.voicecoach.coaching.llm.TokenUsage;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The LLM half of a replay: a customer utterance asked of the tenant's LLM again, with another model, exactly as live
 * coaching asks it (the same prompt, history budget, token limit and JSON mode), but on the background lane, with
 * {@code replay.llm-timeout} to answer, and nothing published. The tokens are real and counted in the metrics
 * (purpose {@value #PURPOSE}).
 */
@ApplicationScoped
public class LlmReplay {

    public static final String PURPOSE = "replay";

    private final LlmClient llm;
    private final LiveCoach coach;
    private final LlmMetrics metrics;
    private final Duration timeout;

    public LlmReplay(LlmClient llm, LiveCoach coach, LlmMetrics metrics, CoachingConfig config) {
        this.llm = llm;
        this.coach = coach;
        this.metrics = metrics;
        this.timeout = config.replay().llmTimeout();
    }

    /** One answer: the advice (empty for {@code none}), or why there is none ({@code outcome} not {@code ok}). */
    public record Answer(Optional<CoachingPrompt.Advice> advice, String outcome, TokenUsage usage, double costUsd,
                         long latencyMs) {
    }

    public Optional<TenantLlm> tenant(String tenantId) {
        return llm.tenant(tenantId);
    }

    public Answer ask(TenantLlm tenant, String model, List<Conversations.Turn> before, Transcript said,
                      Optional<Detection> rules) {
        var request = coach.request(model, before, said, rules);
        long start = System.nanoTime();
        String outcome = "ok";
        TokenUsage usage = TokenUsage.NONE;
        Optional<CoachingPrompt.Advice> advice = Optional.empty();
        try {
            var result = llm.complete(tenant, request, LlmClient.Lane.BACKGROUND).await().atMost(timeout);
            usage = result.usage();
            advice = CoachingPrompt.parse(result.text());
        } catch (IllegalArgumentException garbage) {
            outcome = "invalid";
            metrics.invalidAnswer(PURPOSE);
        } catch (RuntimeException failure) {
            var e = LlmClient.classify(failure);
            outcome = e instanceof LlmRefusedException ? "refused"
                    : e.kind() == LlmException.Kind.TIMEOUT ? "deadline" : "error";
        }
        var latency = Duration.ofNanos(System.nanoTime() - start);
        double cost = tenant.livePrice().cost(usage);
        metrics.call(PURPOSE, outcome, latency, usage, cost);
        return new Answer(advice, outcome, usage, cost, latency.toMillis());
    }
}
