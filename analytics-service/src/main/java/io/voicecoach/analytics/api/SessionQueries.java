package io.voicecoach.analytics.api;

import io.quarkus.panache.common.Sort;
import io.voicecoach.analytics.latency.SessionLatency;
import io.voicecoach.analytics.metrics.ConversationMetrics;
import io.voicecoach.analytics.metrics.MetricsConfig;
import io.voicecoach.analytics.metrics.Prompt;
import io.voicecoach.analytics.metrics.SessionActivity;
import io.voicecoach.analytics.metrics.Speech;
import io.voicecoach.analytics.store.SessionRow;
import io.voicecoach.analytics.store.SuggestionRow;
import io.voicecoach.analytics.store.ToolCallRow;
import io.voicecoach.analytics.store.UtteranceRow;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Read side of one session: every query is scoped by the caller's tenant. */
@ApplicationScoped
public class SessionQueries {

    private final ConversationMetrics metrics;
    private final ActivityViews activity;

    public SessionQueries(MetricsConfig config, ActivityViews activity) {
        this.metrics = new ConversationMetrics(config.settings());
        this.activity = activity;
    }

    public Optional<SessionDetail> detail(String tenantId, String sessionId) {
        return SessionRow.<SessionRow>find("tenantId = ?1 and sessionId = ?2", tenantId, sessionId)
                .firstResultOptional()
                .map(session -> {
                    List<UtteranceView> utterances = UtteranceRow.<UtteranceRow>list("tenantId = ?1 and sessionId = ?2",
                                    Sort.by("startMs").and("receivedAt").and("id"), tenantId, sessionId)
                            .stream().map(UtteranceView::of).toList();
                    List<SuggestionView> suggestions = SuggestionRow.<SuggestionRow>list("tenantId = ?1 and sessionId = ?2",
                                    Sort.by("suggestedAt", Sort.NullPrecedence.NULLS_LAST).and("suggestionId"),
                                    tenantId, sessionId)
                            .stream().map(SuggestionView::of).toList();
                    List<ToolCallView> toolCalls = ToolCallRow.<ToolCallRow>list("tenantId = ?1 and sessionId = ?2",
                                    Sort.by("requestedAt", Sort.NullPrecedence.NULLS_LAST).and("callId"),
                                    tenantId, sessionId)
                            .stream().map(ToolCallView::of).toList();
                    var llmCalls = activity.llmCalls(tenantId, sessionId);
                    var failures = activity.transcriptionFailures(tenantId, sessionId);
                    var reported = new SessionActivity(activity.stageChanges(tenantId, sessionId),
                            llmCalls.stream().map(ActivityViews.LlmCallView::metric).toList(),
                            failures.stream().map(ActivityViews.FailureView::code).toList());
                    var latency = SessionLatency.of(suggestions.stream().map(SuggestionView::times).toList());
                    var sessionMetrics = metrics.compute(session.durationMs,
                            utterances.stream().map(u -> new Speech(u.utteranceId(), u.track(), u.text(), u.startMs(),
                                    u.endMs(), u.engine() != null && !"text".equals(u.engine()))).toList(),
                            suggestions.stream().map(s -> new Prompt(s.utteranceId(), s.kind(), s.category(),
                                    s.deliveredAt() != null)).toList(), reported);
                    var summary = session.summary == null ? null : new ActivityViews.SummaryView(session.summary,
                            Json.tree(session.nextSteps), session.summaryModel, session.summarizedAt);
                    return new SessionDetail(session.sessionId, session.tenantId, session.callId, session.repId,
                            session.team, session.outcome, Json.tree(session.metadata), session.mode,
                            session.startedAt, session.endedAt, session.endReason, session.durationMs,
                            utterances, suggestions, toolCalls, llmCalls, failures, summary,
                            Json.tree(session.compliance), latency, sessionMetrics,
                            new ActivityViews.AgentSpeechView(session.agentSpeechMs, session.agentSpeechMs / 1000.0,
                                    session.ttsChars, Rows.decimal(session.ttsCostUsd, 6), session.ttsItems,
                                    session.ttsFailures));
                });
    }
}
