package io.voicecoach.coaching.replay;

import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.llm.LiveCoach;
import io.voicecoach.coaching.llm.TenantLlm;
import io.voicecoach.coaching.replay.ReplayReport.Change;
import io.voicecoach.coaching.replay.ReplayReport.Found;
import io.voicecoach.events.Event;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The LLM advice of one replay, utterance by utterance, against the advice shown live; at most {@code maxCalls}. */
final class LlmComparison {

    private final LlmReplay llm;
    private final TenantLlm tenant;
    private final String model;
    private final int maxCalls;
    private final List<Change> changes = new ArrayList<>();
    private final List<Double> latencies = new ArrayList<>();
    private int calls, failed, added, removed, recategorised, unchanged;
    private long promptTokens, completionTokens;
    private double costUsd;
    private boolean complete = true;

    LlmComparison(LlmReplay llm, TenantLlm tenant, String model, int maxCalls) {
        this.llm = llm;
        this.tenant = tenant;
        this.model = model;
        this.maxCalls = maxCalls;
    }

    /** The LLM advice shown live per utterance (the first one). */
    static Map<String, Found> liveAdvice(List<Event<?>> shown) {
        var byUtterance = new HashMap<String, Found>();
        for (Event<?> event : shown) {
            if (event.payload() instanceof Suggestion s && s.utteranceId() != null
                    && LiveCoach.SOURCE.equals(s.source())) {
                byUtterance.putIfAbsent(s.utteranceId(), new Found(s.kind(), s.category(), s.source(), s.title()));
            }
        }
        return byUtterance;
    }

    /**
     * Asks the model about a customer utterance, as live coaching would have with {@code before} (the session's
     * turns so far) and the replayed rules' result; other utterances are only part of the conversation.
     */
    void utterance(String session, Event<?> event, Transcript said, List<Conversations.Turn> before,
                   Optional<Detection> rules, Found live) {
        if (!Track.CUSTOMER.equals(said.track()) || said.text().isBlank()) {
            return;
        }
        if (calls >= maxCalls) {
            complete = false;
            return;
        }
        calls++;
        var answer = llm.ask(tenant, model, before, said, rules);
        latencies.add((double) answer.latencyMs());
        promptTokens += answer.usage().promptTokens();
        completionTokens += answer.usage().completionTokens();
        costUsd += answer.costUsd();
        if (!"ok".equals(answer.outcome())) {
            failed++;
        }
        var now = answer.advice().map(a -> new Found(a.kind(), a.category(), LiveCoach.SOURCE, a.title()));
        if (live == null && now.isEmpty()) {
            return;
        }
        String change = live == null ? "added" : now.isEmpty() ? "removed"
                : live.kind().equals(now.get().kind()) && live.category().equals(now.get().category()) ? null
                : "recategorised";
        if (change == null) {
            unchanged++;
            return;
        }
        switch (change) {
            case "added" -> added++;
            case "removed" -> removed++;
            default -> recategorised++;
        }
        changes.add(new Change(session, said.utteranceId(), event.occurredAt(), said.text(), change, live,
                now.orElse(null)));
    }

    ReplayReport.LlmReport report() {
        changes.sort(java.util.Comparator.comparing(Change::at));
        return new ReplayReport.LlmReport(model, calls, failed, complete, promptTokens, completionTokens,
                Math.round(costUsd * 1e6) / 1e6, Replays.percentile(latencies, 50), Replays.percentile(latencies, 95),
                new ReplayReport.Counts(added, removed, recategorised, unchanged), List.copyOf(changes));
    }
}
