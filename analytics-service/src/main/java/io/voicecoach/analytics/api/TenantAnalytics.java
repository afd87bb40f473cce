package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.LatencySummary;
import io.voicecoach.analytics.latency.SessionLatency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tenant-wide figures over the sessions of a {@link SessionFilter}; every query is scoped by tenant. */
@ApplicationScoped
public class TenantAnalytics {

    /** How aggregates are grouped; the SQL of each key is fixed here, never taken from a request. */
    public enum GroupBy {
        REP("p.rep_id"),
        TEAM("p.team"),
        DAY("to_char(p.at at time zone 'UTC', 'YYYY-MM-DD')"),
        /** Keyed by the week's Monday (ISO weeks, UTC). */
        WEEK("to_char(date_trunc('week', p.at at time zone 'UTC'), 'YYYY-MM-DD')");

        final String sql;

        GroupBy(String sql) {
            this.sql = sql;
        }
    }

    /**
     * @param key               the rep id (null for sessions without one), the UTC day, or the Monday of the week
     * @param repTalkShare      summed rep (agent) utterance time / summed utterance time of all tracks
     * @param objections        objection prompts, one per (utterance, category)
     * @param objectionsByCategory the same, per category
     * @param avgPromptLatencyMs mean end-to-end latency (deliveredAt - receivedAt) of delivered prompts
     * @param audioMinutes      sum of the sessions' audio minutes (duration x tracks transcribed from audio)
     * @param llmTokens         prompt + completion tokens of the sessions' LLM calls
     * @param llmCostUsd        cost of those calls as reported, USD
     * @param transcriptionFailures utterances the STT engine could not transcribe
     * @param outcomes          sessions per outcome (metadata {@code outcome}); sessions without one are not counted
     */
    @RegisterForReflection
    public record Aggregate(String key, long sessions, Double repTalkShare, long objections,
                            Map<String, Long> objectionsByCategory, long prompts, Double avgPromptLatencyMs,
                            double audioMinutes, long llmTokens, double llmCostUsd, long transcriptionFailures,
                            Map<String, Long> outcomes) {
    }

    @RegisterForReflection
    public record Aggregates(String groupBy, List<Aggregate> groups) {
    }

    private final EntityManager entityManager;

    public TenantAnalytics(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Aggregates aggregates(String tenantId, SessionFilter filter, GroupBy groupBy) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        var picked = picked(tenantId, filter, parameters);
        // per-session figures are kept in sessions by ingestion (V4): one row per session, no scan of its events
        String sql = """
                with picked as (%s)
                select %2$s as key, count(*),
                       cast(sum(p.rep_talk_ms) as double precision) / nullif(sum(p.talk_ms), 0),
                       coalesce(sum(p.objection_count), 0), coalesce(sum(p.prompt_count), 0),
                       sum(p.prompt_latency_ms) / nullif(sum(p.prompt_count), 0),
                       coalesce(sum(coalesce(p.duration_ms, p.last_end_ms)
                                    * ((p.audio_tracks & 1) + ((p.audio_tracks >> 1) & 1))), 0) / 60000.0,
                       coalesce(sum(p.llm_tokens), 0), coalesce(sum(p.llm_cost_usd), 0),
                       coalesce(sum(p.transcription_failures), 0)
                from picked p
                group by %2$s order by %2$s nulls last""".formatted(picked, groupBy.sql);
        var query = entityManager.createNativeQuery(sql, Object[].class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        // objections per category are kept per session by ingestion (V5): no join with the suggestions
        var byCategory = counts(picked, groupBy, parameters, """
                select %s as key, c.key, sum(cast(c.value as bigint))
                from picked p cross join lateral jsonb_each_text(p.objections_by_category) c
                group by 1, 2""");
        var outcomes = counts(picked, groupBy, parameters, """
                select %s as key, p.outcome, count(*) from picked p where p.outcome is not null group by 1, 2""");
        return new Aggregates(groupBy.name().toLowerCase(), rows.stream()
                .map(r -> new Aggregate((String) r[0], Rows.number(r[1]), Rows.decimal(r[2], 3), Rows.number(r[3]),
                        byCategory.getOrDefault((String) r[0], Map.of()), Rows.number(r[4]), Rows.decimal(r[5], 1),
                        Rows.decimal(r[6], 2), Rows.number(r[7]), Rows.decimal(r[8], 6), Rows.number(r[9]),
                        outcomes.getOrDefault((String) r[0], Map.of())))
                .toList());
    }

    /** Runs {@code select} (key, label, count) over the picked sessions: per group key, the count per label. */
    private Map<String, Map<String, Long>> counts(String picked, GroupBy groupBy, Map<String, Object> parameters,
                                                  String select) {
        String sql = "with picked as (" + picked + ") " + select.formatted(groupBy.sql);
        var query = entityManager.createNativeQuery(sql, Object[].class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        Map<String, Map<String, Long>> byKey = new HashMap<>();
        for (Object[] r : rows) {
            byKey.computeIfAbsent((String) r[0], k -> new TreeMap<>()).put((String) r[1], Rows.number(r[2]));
        }
        return byKey;
    }

    /**
     * The pipeline's hop latencies over all suggestions of the filter's sessions; nearest-rank percentiles. Each
     * session row carries its suggestions' hop latencies in ms (V5, kept by ingestion), so this reads no suggestion.
     */
    public SessionLatency latency(String tenantId, SessionFilter filter) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        String sql = """
                with picked as (%s),
                hops as (
                  select 0 as hop, v from picked p cross join lateral unnest(p.transcript_to_suggestion_ms) as v
                  union all select 1, v from picked p cross join lateral unnest(p.suggestion_to_client_ms) as v
                  union all select 2, v from picked p cross join lateral unnest(p.end_to_end_ms) as v)
                select hop, count(v), percentile_disc(0.5) within group (order by v),
                       percentile_disc(0.95) within group (order by v), max(v)
                from hops group by hop""".formatted(picked(tenantId, filter, parameters));
        var query = entityManager.createNativeQuery(sql, Object[].class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        var none = new LatencySummary(0, null, null, null);
        var hops = new LatencySummary[]{none, none, none};
        for (Object[] r : rows) {
            hops[Rows.number(r[0]).intValue()] = summary(r, 1);
        }
        return new SessionLatency(hops[0], hops[1], hops[2]);
    }

    private static LatencySummary summary(Object[] row, int first) {
        return new LatencySummary(Rows.number(row[first]).intValue(), Rows.number(row[first + 1]),
                Rows.number(row[first + 2]), Rows.number(row[first + 3]));
    }

    private static String picked(String tenantId, SessionFilter filter, Map<String, Object> parameters) {
        var sql = new StringBuilder("select s.session_id, s.rep_id, s.team, s.outcome, s.duration_ms, s.rep_talk_ms, "
                + "s.talk_ms, s.objection_count, s.prompt_count, s.prompt_latency_ms, s.last_end_ms, s.audio_tracks, "
                + "s.llm_tokens, s.llm_cost_usd, s.transcription_failures, s.objections_by_category, "
                + "s.transcript_to_suggestion_ms, s.suggestion_to_client_ms, s.end_to_end_ms, " + SessionSearch.AT
                + " as at from sessions s where s.tenant_id = :tenant");
        parameters.put("tenant", tenantId);
        SessionSearch.where(filter, sql, parameters);
        return sql.toString();
    }
}
