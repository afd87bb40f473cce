package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Uni;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.events.Event;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * LLM coaching in the live path. The rules/embedding suggestion has already been published when this runs; for a
 * customer utterance of a tenant with an LLM, the live model gets the recent conversation and the rules' result and
 * has {@code voicecoach.llm.live-deadline} to answer. An answer in time (and in the expected shape) is published as
 * a second suggestion for the same utterance with {@code source=llm}; anything else (deadline, error, garbage,
 * {@code "kind": "none"}) publishes nothing more and the rules result stands. No retries here. Every call is
 * accounted as {@code llm.usage}.
 * <p>
 * The call runs detached from the stream thread, so the next transcript is not held up by the LLM; the conversation
 * it is given comes from the session's state.
 */
@ApplicationScoped
public class LiveCoach {

    public static final String PURPOSE = "coaching";
    public static final String SOURCE = "llm";

    private static final Logger LOG = Logger.getLogger(LiveCoach.class);

    private final LlmClient llm;
    private final LlmConfig config;
    private final LlmEvents events;
    private final LlmMetrics metrics;

    public LiveCoach(LlmClient llm, LlmConfig config, LlmEvents events, LlmMetrics metrics) {
        this.llm = llm;
        this.config = config;
        this.events = events;
        this.metrics = metrics;
    }

    /** Whether the tenant has an LLM: only then is its conversation kept. */
    public boolean enabledFor(String tenantId) {
        return llm.tenant(tenantId).isPresent();
    }

    /**
     * Starts the LLM call for a customer utterance and returns at once.
     *
     * @param conversation the session's turns before this utterance, oldest first
     */
    public void afterRules(Event<?> trigger, Transcript transcript, Optional<Detection> rules,
                           List<Conversations.Turn> conversation) {
        var tenant = llm.tenant(trigger.tenantId());
        if (tenant.isEmpty() || transcript.text().isBlank() || !Track.CUSTOMER.equals(transcript.track())) {
            return;
        }
        coach(tenant.get(), trigger, transcript, request(tenant.get().liveModel(), conversation, transcript, rules))
                .subscribe().with(done -> { }, failure -> LOG.warnf(failure, "LLM coaching of %s failed", trigger.eventId()));
    }

    /** The coaching request for {@code transcript} with the newest turns of {@code conversation} that fit. */
    public ChatRequest request(String model, List<Conversations.Turn> conversation, Transcript transcript,
                               Optional<Detection> rules) {
        var history = Conversations.newest(conversation, config.historyChars());
        var request = ChatRequest.of(model, CoachingPrompt.messages(history, transcript.text(), rules))
                .limited(config.liveMaxTokens(), 0.2);
        return config.jsonMode() ? request.asJson() : request;
    }

    private Uni<Void> coach(TenantLlm tenant, Event<?> trigger, Transcript transcript, ChatRequest request) {
        long start = System.nanoTime();
        return llm.complete(tenant, request, LlmClient.Lane.LIVE)
                .ifNoItem().after(config.liveDeadline())
                .failWith(() -> new LlmException(LlmException.Kind.TIMEOUT, "live deadline " + config.liveDeadline() + " passed"))
                .onItemOrFailure().transformToUni((result, failure) -> {
                    var latency = Duration.ofNanos(System.nanoTime() - start);
                    if (failure != null) {
                        var e = LlmClient.classify(failure);
                        if (e instanceof LlmRefusedException) {
                            return Uni.createFrom().voidItem(); // not sent (counted by the pool): nothing to account
                        }
                        String outcome = e.kind() == LlmException.Kind.TIMEOUT ? "deadline" : "error";
                        LOG.debugf("LLM coaching for %s: %s", trigger.eventId(), e.getMessage());
                        return usage(tenant, trigger, request.model(), TokenUsage.NONE, latency, outcome);
                    }
                    Optional<CoachingPrompt.Advice> advice;
                    try {
                        advice = CoachingPrompt.parse(result.text());
                    } catch (IllegalArgumentException garbage) {
                        metrics.invalidAnswer(PURPOSE);
                        LOG.debugf("LLM coaching for %s ignored: %s", trigger.eventId(), garbage.getMessage());
                        return usage(tenant, trigger, result.model(), result.usage(), latency, "invalid");
                    }
                    Uni<Void> published = advice.map(a -> publish(trigger, transcript, a)).orElseGet(() -> Uni.createFrom().voidItem());
                    return published.chain(() -> usage(tenant, trigger, result.model(), result.usage(), latency, "ok"));
                });
    }

    private Uni<Void> publish(Event<?> trigger, Transcript transcript, CoachingPrompt.Advice advice) {
        var suggestion = new Suggestion(DerivedIds.of("llm-suggestion", trigger.eventId()).toString(),
                transcript.utteranceId(), advice.kind(), advice.category(), advice.title(), advice.message(),
                advice.confidence(), SOURCE, Detection.OBJECTION.equals(advice.kind()) ? 1 : 2, null,
                trigger.occurredAt(), transcript.receivedAt());
        return events.suggestion(trigger.tenantId(), trigger.sessionId(),
                DerivedIds.of("llm-suggestion-event", trigger.eventId()), suggestion);
    }

    private Uni<Void> usage(TenantLlm tenant, Event<?> trigger, String model, TokenUsage usage, Duration latency,
                            String outcome) {
        double cost = tenant.livePrice().cost(usage);
        metrics.call(PURPOSE, outcome, latency, usage, cost);
        var record = new LlmUsage(DerivedIds.of("llm-request:" + PURPOSE, trigger.eventId()).toString(), PURPOSE, model,
                usage.promptTokens(), usage.completionTokens(), cost, latency.toMillis(), outcome);
        return events.usage(trigger.tenantId(), trigger.sessionId(), DerivedIds.of("llm-usage-event:" + PURPOSE, trigger.eventId()), record);
    }
}
