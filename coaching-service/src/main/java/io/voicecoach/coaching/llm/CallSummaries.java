package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Uni;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.Event;
import io.voicecoach.events.LlmUsage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * After {@code session.ended}, for a tenant with an LLM and a session with something said: asks the summary model
 * for a summary and next steps and publishes {@code coaching.summary}. Outside the live path, so a 429, a 5xx, a
 * timeout or a dropped connection is retried with back-off ({@link Retries}); each attempt is accounted as
 * {@code llm.usage}. An answer in the wrong shape is counted and dropped (no summary).
 */
@ApplicationScoped
public class CallSummaries {

    public static final String PURPOSE = "summary";

    private static final Logger LOG = Logger.getLogger(CallSummaries.class);

    private final LlmClient llm;
    private final LlmConfig config;
    private final LlmEvents events;
    private final LlmMetrics metrics;

    public CallSummaries(LlmClient llm, LlmConfig config, LlmEvents events, LlmMetrics metrics) {
        this.llm = llm;
        this.config = config;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Starts the summary in the background and returns at once.
     *
     * @param turns the session's conversation from its state, oldest first
     */
    public void onSessionEnded(Event<?> ended, java.util.List<Conversations.Turn> turns) {
        var tenant = llm.tenant(ended.tenantId());
        var conversation = Conversations.newest(turns, config.summaryHistoryChars());
        if (tenant.isEmpty() || conversation.isEmpty()) {
            return;
        }
        var request = ChatRequest.of(tenant.get().summaryModel(), SummaryPrompt.messages(conversation));
        var attempts = new AtomicInteger();
        Retries.withBackOff(() -> attempt(tenant.get(), ended, config.jsonMode() ? request.asJson() : request,
                        attempts.incrementAndGet()), config.summaryRetries(), config.retryBackoff(), config.retryMaxBackoff())
                .chain(result -> publish(ended, result))
                .subscribe().with(done -> { }, failure ->
                        LOG.warnf("no summary for session %s of %s: %s", ended.sessionId(), ended.tenantId(), failure.getMessage()));
    }

    private Uni<ChatResult> attempt(TenantLlm tenant, Event<?> ended, ChatRequest request, int attempt) {
        long start = System.nanoTime();
        return llm.complete(tenant, request)
                .ifNoItem().after(config.summaryTimeout())
                .failWith(() -> new LlmException(LlmException.Kind.TIMEOUT, "no summary within " + config.summaryTimeout()))
                .onItemOrFailure().call((result, failure) -> {
                    var latency = Duration.ofNanos(System.nanoTime() - start);
                    var usage = result == null ? TokenUsage.NONE : result.usage();
                    String outcome = failure == null ? "ok"
                            : LlmClient.classify(failure).kind() == LlmException.Kind.TIMEOUT ? "deadline" : "error";
                    double cost = tenant.summaryPrice().cost(usage);
                    metrics.call(PURPOSE, outcome, latency, usage, cost);
                    var record = new LlmUsage(DerivedIds.of("llm-request:" + PURPOSE + ":" + attempt, ended.eventId()).toString(),
                            PURPOSE, result == null ? request.model() : result.model(), usage.promptTokens(),
                            usage.completionTokens(), cost, latency.toMillis(), outcome);
                    return events.usage(ended.tenantId(), ended.sessionId(),
                            DerivedIds.of("llm-usage-event:" + PURPOSE + ":" + attempt, ended.eventId()), record);
                });
    }

    private Uni<Void> publish(Event<?> ended, ChatResult result) {
        SummaryPrompt.Answer answer;
        try {
            answer = SummaryPrompt.parse(result.text());
        } catch (IllegalArgumentException garbage) {
            metrics.invalidAnswer(PURPOSE);
            LOG.warnf("summary for session %s ignored: %s", ended.sessionId(), garbage.getMessage());
            return Uni.createFrom().voidItem();
        }
        return events.summary(ended.tenantId(), ended.sessionId(), DerivedIds.of("summary-event", ended.eventId()),
                new CallSummary(answer.summary(), answer.nextSteps(), result.model()));
    }
}
