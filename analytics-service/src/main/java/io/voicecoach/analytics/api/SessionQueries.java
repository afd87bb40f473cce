package io.voicecoach.analytics.api;

import io.quarkus.panache.common.Sort;
import io.voicecoach.analytics.latency.SessionLatency;
import io.voicecoach.analytics.store.SessionRow;
import io.voicecoach.analytics.store.SuggestionRow;
import io.voicecoach.analytics.store.UtteranceRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Read side: every query is scoped by the caller's tenant. */
@ApplicationScoped
public class SessionQueries {

    private static final String LATEST = """
            select s.sessionId, s.callId, s.repId, s.mode, s.startedAt, s.endedAt, s.endReason, s.durationMs,
                   (select count(u) from UtteranceRow u where u.tenantId = s.tenantId and u.sessionId = s.sessionId),
                   (select count(g) from SuggestionRow g where g.tenantId = s.tenantId and g.sessionId = s.sessionId)
            from SessionRow s
            where s.tenantId = :tenant
            order by coalesce(s.startedAt, s.firstSeenAt) desc, s.sessionId""";

    private final EntityManager entityManager;

    public SessionQueries(EntityManager entityManager) {
        this.entityManager = entityManager;
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
                    var latency = SessionLatency.of(suggestions.stream().map(SuggestionView::times).toList());
                    return new SessionDetail(session.sessionId, session.tenantId, session.callId, session.repId,
                            session.mode, session.startedAt, session.endedAt, session.endReason, session.durationMs,
                            utterances, suggestions, latency);
                });
    }

    /** The tenant's sessions, latest started (or, not started yet, first seen) first. */
    public List<SessionSummary> latest(String tenantId, int limit) {
        return entityManager.createQuery(LATEST, Object[].class)
                .setParameter("tenant", tenantId)
                .setMaxResults(limit)
                .getResultStream()
                .map(r -> new SessionSummary((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        (Instant) r[4], (Instant) r[5], (String) r[6], (Long) r[7], (Long) r[8], (Long) r[9]))
                .toList();
    }
}
