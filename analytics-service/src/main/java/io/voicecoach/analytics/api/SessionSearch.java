package io.voicecoach.analytics.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant's sessions matching a {@link SessionFilter}, latest first (by {@code startedAt}, or first seen if not
 * started yet; then by session id), in pages addressed by a {@link Cursor} (keyset pagination: stable while
 * sessions are added).
 */
@ApplicationScoped
public class SessionSearch {

    static final String AT = "coalesce(s.started_at, s.first_seen_at)";

    private final EntityManager entityManager;

    public SessionSearch(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public SessionSummary.Page page(String tenantId, SessionFilter filter, Cursor after, int limit) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        var sql = new StringBuilder("""
                select s.session_id, s.call_id, s.rep_id, s.mode, s.started_at, s.ended_at, s.end_reason, s.duration_ms,
                       s.team, s.outcome,
                       s.utterance_count, s.suggestion_count, s.objection_count,
                       %s as at
                from sessions s
                where s.tenant_id = :tenant""".formatted(AT));
        parameters.put("tenant", tenantId);
        where(filter, sql, parameters);
        if (after != null) {
            sql.append(" and (").append(AT).append(" < :cursorAt or (").append(AT)
                    .append(" = :cursorAt and s.session_id > :cursorId))");
            parameters.put("cursorAt", after.at());
            parameters.put("cursorId", after.sessionId());
        }
        sql.append(" order by ").append(AT).append(" desc, s.session_id limit ").append(limit + 1);

        var query = entityManager.createNativeQuery(sql.toString(), Object[].class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        var sessions = new ArrayList<SessionSummary>();
        Cursor last = null;
        for (Object[] r : rows.subList(0, Math.min(limit, rows.size()))) {
            sessions.add(new SessionSummary((String) r[0], (String) r[1], (String) r[2], (String) r[8],
                    (String) r[9], (String) r[3], Rows.instant(r[4]), Rows.instant(r[5]), (String) r[6],
                    Rows.number(r[7]), Rows.number(r[10]), Rows.number(r[11]), Rows.number(r[12])));
            last = new Cursor(Rows.instant(r[13]), (String) r[0]);
        }
        return new SessionSummary.Page(sessions, rows.size() > limit ? last.encode() : null);
    }

    /** Appends the filter's conditions on {@code sessions s}. */
    static void where(SessionFilter filter, StringBuilder sql, Map<String, Object> parameters) {
        if (filter.rep() != null) {
            sql.append(" and s.rep_id = :rep");
            parameters.put("rep", filter.rep());
        }
        if (filter.team() != null) {
            sql.append(" and s.team = :team");
            parameters.put("team", filter.team());
        }
        if (filter.outcome() != null) {
            sql.append(" and s.outcome = :outcome");
            parameters.put("outcome", filter.outcome());
        }
        if (filter.from() != null) {
            sql.append(" and ").append(AT).append(" >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            sql.append(" and ").append(AT).append(" < :to");
            parameters.put("to", filter.to());
        }
        if (filter.objection() != null) {
            sql.append(" and exists (select 1 from suggestions o where o.tenant_id = s.tenant_id")
                    .append(" and o.session_id = s.session_id and o.kind = 'objection' and o.category = :objection)");
            parameters.put("objection", filter.objection());
        }
    }
}
