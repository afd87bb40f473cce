package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Uni;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.Event;
import io.voicecoach.events.LlmUsage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * After {@code session.ended}, for a tenant with an LLM and a session with something said: asks the summary model
 * for a summary and next steps and publishes {@code coaching.summary}. Outside the live path, so a 429, a 5xx, a
 * timeout or a dropped connection is retried with back-off ({@link Retries}); each attempt is accounted as
 * {@code llm.usage}. An answer in the wrong shape is counted and dropped (no summary).
 * <p>
 * The session's state keeps the summary pending until this instance says its run finished ({@link #finishedHere});
 * a run that died with its instance is started again by the partition's new owner as the next run. The summary's
 * event id derives from the {@code session.ended} event alone, so when the dead run had published it, the second
 * copy is dropped downstream; usage ids carry the run, as each run was paid for.
 */
@ApplicationScoped
public class CallSummaries {

    public static final String PURPOSE = "summary";

    private static final Logger LOG = Logger.getLogger(CallSummaries.class);
    /** Finished runs whose session moved to another instance are never asked about; this bounds what they leave. */
    private static final int RUNS_REMEMBERED = 10_000;

    private final LlmClient llm;
    private final LlmConfig config;
    private final LlmEvents events;
    private final LlmMetrics metrics;
    /** Runs of this instance, by the {@code session.ended} event id: true once finished (published or given up). */
    private final Map<UUID, Boolean> runs = new ConcurrentHashMap<>();

    public CallSummaries(LlmClient llm, LlmConfig config, LlmEvents events, LlmMetrics metrics) {
        this.llm = llm;
        this.config = config;
        this.events = events;
        this.metrics = metrics;
    }

    /** Whether a session of the tenant that ended with something said gets a summary. */
    public boolean wanted(String tenantId, List<Conversations.Turn> turns) {
        return llm.tenant(tenantId).isPresent() && !Conversations.newest(turns, config.summaryHistoryChars()).isEmpty();
    }

    /**
     * Starts run {@code run} of the summary in the background and returns at once; nothing when this instance runs
     * or ran it already (a {@code session.ended} processed again after an aborted transaction).
     *
     * @param turns the session's conversation from its state, oldest first
     */
    public void start(Ended ended, int run, List<Conversations.Turn> turns) {
        if (runs.size() > RUNS_REMEMBERED) {
            runs.values().removeIf(Boolean.TRUE::equals);
        }
        if (runs.putIfAbsent(ended.eventId(), false) != null) {
            return;
        }
        var tenant = llm.tenant(ended.tenantId());
        var conversation = Conversations.newest(turns, config.summaryHistoryChars());
        if (tenant.isEmpty() || conversation.isEmpty()) {
            runs.put(ended.eventId(), true);
            return;
        }
        var request = ChatRequest.of(tenant.get().summaryModel(), SummaryPrompt.messages(conversation));
        var attempts = new AtomicInteger();
        Retries.withBackOff(() -> attempt(tenant.get(), ended, run, config.jsonMode() ? request.asJson() : request,
                        attempts.incrementAndGet()), config.summaryRetries(), config.retryBackoff(), config.retryMaxBackoff())
                .chain(result -> publish(ended, result))
                .onTermination().invoke(() -> runs.put(ended.eventId(), true))
                .subscribe().with(done -> { }, failure ->
                        LOG.warnf("no summary for session %s of %s: %s", ended.sessionId(), ended.tenantId(), failure.getMessage()));
    }

    /** True while this instance runs the summary of that {@code session.ended}. */
    public boolean runningHere(UUID endedEventId) {
        return Boolean.FALSE.equals(runs.get(endedEventId));
    }

    /**
     * True once this instance's run of it finished (published, dropped or given up); the entry is then forgotten, as
     * the session's state lets go of the summary.
     */
    public boolean finishedHere(UUID endedEventId) {
        return runs.remove(endedEventId, true);
    }

    /** The {@code session.ended} a summary is for. */
    public record Ended(String tenantId, String sessionId, UUID eventId) {
        public static Ended of(Event<?> ended) {
            return new Ended(ended.tenantId(), ended.sessionId(), ended.eventId());
        }
    }

    private Uni<ChatResult> attempt(TenantLlm tenant, Ended ended, int run, ChatRequest request, int attempt) {
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
                    String name = (run == 1 ? "" : "run " + run + ":") + PURPOSE + ":" + attempt;
                    var record = new LlmUsage(DerivedIds.of("llm-request:" + name, ended.eventId()).toString(),
                            PURPOSE, result == null ? request.model() : result.model(), usage.promptTokens(),
                            usage.completionTokens(), cost, latency.toMillis(), outcome);
                    return events.usage(ended.tenantId(), ended.sessionId(),
                            DerivedIds.of("llm-usage-event:" + name, ended.eventId()), record);
                });
    }

    private Uni<Void> publish(Ended ended, ChatResult result) {
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
