package io.voicecoach.coaching.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** OpenAI-compatible chat-completions endpoints per tenant. A tenant without an enabled entry gets no LLM calls. */
@ConfigMapping(prefix = "voicecoach.llm")
public interface LlmConfig {

    /** Per tenant id: {@code voicecoach.llm.tenants."<tenant>".*}. */
    Map<String, Tenant> tenants();

    /** Live coaching: after this the call is abandoned and the rules suggestion stands. */
    @WithDefault("1500ms")
    Duration liveDeadline();

    /** TCP connect timeout of every LLM call. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Longest silence (no bytes) tolerated on a streaming response outside the live path. */
    @WithDefault("30s")
    Duration readTimeout();

    /** Post-call summary: the limit of one attempt. */
    @WithDefault("60s")
    Duration summaryTimeout();

    /** Post-call summary: retries after a 429, a 5xx, a timeout or a connection failure. */
    @WithDefault("3")
    int summaryRetries();

    /** First back-off before a summary retry; doubled each time (with jitter) up to {@code retry-max-backoff}. */
    @WithDefault("500ms")
    Duration retryBackoff();

    @WithDefault("8s")
    Duration retryMaxBackoff();

    /** Characters of conversation history sent with a live coaching or summary prompt (oldest turns dropped first). */
    @WithDefault("6000")
    int historyChars();

    /** Characters of conversation sent with a post-call summary prompt (oldest turns dropped first). */
    @WithDefault("24000")
    int summaryHistoryChars();

    /**
     * LLM calls (live coaching, agent rounds, summaries) in flight at once on this instance, all tenants together;
     * more are refused ({@code llm_busy}).
     */
    @WithDefault("64")
    int maxInFlight();

    /** A tenant's share of {@code max-in-flight}: its calls in flight at once; more are refused ({@code llm_tenant_busy}). */
    @WithDefault("16")
    int tenantMaxInFlight();

    /** LLM calls a tenant may start per minute on this instance; more are refused ({@code llm_rate_limited}). */
    @WithDefault("600")
    int callsPerMinute();

    /** Calls a tenant may start at once before {@code calls-per-minute} paces it (its token bucket). */
    @WithDefault("60")
    int callBurst();

    /** Ask for {@code response_format: {"type": "json_object"}} on coaching and summary calls. */
    @WithDefault("true")
    boolean jsonMode();

    /** Completion tokens a live coaching answer may use. */
    @WithDefault("300")
    int liveMaxTokens();

    interface Tenant {

        @WithDefault("false")
        boolean enabled();

        /** e.g. {@code https://api.openai.com/v1}, {@code http://localhost:11434/v1} (Ollama); {@code /chat/completions} is appended. */
        Optional<String> baseUrl();

        /** Sent as {@code Authorization: Bearer <key>} (or raw in {@code api-key-header} when that is not Authorization). */
        Optional<String> apiKey();

        /** Header carrying the key: {@code Authorization} (OpenAI, OpenRouter, vLLM) or {@code api-key} (Azure OpenAI). */
        @WithDefault("Authorization")
        String apiKeyHeader();

        /** Fast model for live coaching and the voice agent. */
        @WithDefault("gpt-4o-mini")
        String liveModel();

        /** Stronger model for post-call summaries. */
        @WithDefault("gpt-4o")
        String summaryModel();

        /** USD per 1,000 prompt tokens of the live model. */
        @WithDefault("0")
        @WithName("price-per-1k-prompt")
        double pricePer1kPrompt();

        /** USD per 1,000 completion tokens of the live model. */
        @WithDefault("0")
        @WithName("price-per-1k-completion")
        double pricePer1kCompletion();

        /** The tenant's own {@code tenant-max-in-flight} (at most {@code max-in-flight}). */
        Optional<Integer> maxInFlight();

        /** The tenant's own {@code calls-per-minute}. */
        Optional<Integer> callsPerMinute();

        /** The tenant's own {@code call-burst}. */
        Optional<Integer> callBurst();

        /** USD per 1,000 prompt tokens of the summary model; the live model's price when unset. */
        @WithName("summary-price-per-1k-prompt")
        Optional<Double> summaryPricePer1kPrompt();

        /** USD per 1,000 completion tokens of the summary model; the live model's price when unset. */
        @WithName("summary-price-per-1k-completion")
        Optional<Double> summaryPricePer1kCompletion();
    }
}
