package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.LatencySummary;
import io.voicecoach.analytics.latency.SessionLatency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tenant-wide figures over the sessions of a {@link SessionFilter}; every query is scoped by tenant. */
@ApplicationScoped
public class TenantAnalytics {

    /**
     * How aggregates are grouped; the SQL of each key is fixed here, never taken from a request. Days and weeks are
     * grouped as dates and formatted once per group, not once per session.
     */
    public enum GroupBy {
        REP("p.rep_id", "key"),
        TEAM("p.team", "key"),
        DAY("cast(p.at at time zone 'UTC' as date)", "to_char(key, 'YYYY-MM-DD')"),
        /** Keyed by the week's Monday (ISO weeks, UTC). */
        WEEK("cast(date_trunc('week', p.at at time zone 'UTC') as date)", "to_char(key, 'YYYY-MM-DD')");

        final String sql;
        final String label;

        GroupBy(String sql, String label) {
            this.sql = sql;
            this.label = label;
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
     * @param agentSpeechMs     the voice agent's speech synthesized for the sessions' callers (agent.speech)
     * @param ttsChars          characters of that speech
     * @param ttsCostUsd        its cost at the tenant's text-to-speech prices, USD
     */
    @RegisterForReflection
    public record Aggregate(String key, long sessions, Double repTalkShare, long objections,
                            Map<String, Long> objectionsByCategory, long prompts, Double avgPromptLatencyMs,
                            double audioMinutes, long llmTokens, double llmCostUsd, long transcriptionFailures,
                            Map<String, Long> outcomes, long agentSpeechMs, long ttsChars, double ttsCostUsd) {
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
        // per-session figures are kept in sessions by ingestion (V4, V5): the picked sessions are read once, no scan
        // of their events; part 0 = the group's figures, 1 = objections per category, 2 = sessions per outcome
        String sql = """
                with picked as materialized (select %2$s as key, p.* from (%1$s) p),
                cats as (select p.key, c.key as label, sum(cast(c.value as bigint)) as n
                         from picked p cross join lateral jsonb_each_text(p.objections_by_category) c group by 1, 2),
                outs as (select p.key, p.outcome as label, count(*) as n from picked p
                         where p.outcome is not null group by 1, 2),
                parts as (
                  select 0 as part, p.key, null as label, count(*) as n,
                         cast(sum(p.rep_talk_ms) as double precision) / nullif(sum(p.talk_ms), 0) as talk_share,
                         cast(coalesce(sum(p.objection_count), 0) as bigint) as objections,
                         cast(coalesce(sum(p.prompt_count), 0) as bigint) as prompts,
                         sum(p.prompt_latency_ms) / nullif(sum(p.prompt_count), 0) as prompt_latency,
                         cast(coalesce(sum(coalesce(p.duration_ms, p.last_end_ms)
                                      * ((p.audio_tracks & 1) + ((p.audio_tracks >> 1) & 1))), 0) / 60000.0
                              as double precision) as audio_minutes,
                         cast(coalesce(sum(p.llm_tokens), 0) as bigint) as llm_tokens,
                         cast(coalesce(sum(p.llm_cost_usd), 0) as double precision) as llm_cost,
                         cast(coalesce(sum(p.transcription_failures), 0) as bigint) as failures,
                         cast(coalesce(sum(p.agent_speech_ms), 0) as bigint) as speech_ms,
                         cast(coalesce(sum(p.tts_chars), 0) as bigint) as tts_chars,
                         cast(coalesce(sum(p.tts_cost_usd), 0) as double precision) as tts_cost
                  from picked p group by p.key
                  union all select 1, key, label, cast(n as bigint), null, null, null, null, null, null, null, null,
                         null, null, null
                  from cats
                  union all select 2, key, label, n, null, null, null, null, null, null, null, null, null, null, null
                  from outs)
                select part, %3$s, label, n, talk_share, objections, prompts, prompt_latency, audio_minutes, llm_tokens,
                       llm_cost, failures, speech_ms, tts_chars, tts_cost
                from parts order by part, parts.key nulls last""".formatted(
                picked(tenantId, filter, parameters, "s.objections_by_category"), groupBy.sql, groupBy.label);
        var query = entityManager.createNativeQuery(sql, Object[].class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        var groups = new ArrayList<Object[]>();
        Map<String, Map<String, Long>> byCategory = new HashMap<>();
        Map<String, Map<String, Long>> outcomes = new HashMap<>();
        for (Object[] r : rows) {
            switch (Rows.number(r[0]).intValue()) {
                case 0 -> groups.add(r);
                case 1 -> byCategory.computeIfAbsent((String) r[1], k -> new TreeMap<>()).put((String) r[2], Rows.number(r[3]));
                default -> outcomes.computeIfAbsent((String) r[1], k -> new TreeMap<>()).put((String) r[2], Rows.number(r[3]));
            }
        }
        return new Aggregates(groupBy.name().toLowerCase(), groups.stream()
                .map(r -> new Aggregate((String) r[1], Rows.number(r[3]), Rows.decimal(r[4], 3), Rows.number(r[5]),
                        byCategory.getOrDefault((String) r[1], Map.of()), Rows.number(r[6]), Rows.decimal(r[7], 1),
                        Rows.decimal(r[8], 2), Rows.number(r[9]), Rows.decimal(r[10], 6), Rows.number(r[11]),
                        outcomes.getOrDefault((String) r[1], Map.of()), Rows.number(r[12]), Rows.number(r[13]),
                        Rows.decimal(r[14], 6)))
                .toList());
    }

    /**
     * The pipeline's hop latencies over all suggestions of the filter's sessions; nearest-rank percentiles, exactly
     * as {@code percentile_disc} ranks them. Each session row carries its suggestions' hop latencies in whole ms (V5,
     * kept by ingestion), so this reads no suggestion; the values are counted per distinct millisecond (a hash
     * aggregate of a few hundred groups) and ranked on those counts instead of sorting every sample.
     */
    public SessionLatency latency(String tenantId, SessionFilter filter) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        String sql = """
                with counts as (
                  select h.hop, h.v, count(*) as n
                  from (%s) p cross join lateral (
                    select 0, unnest(p.transcript_to_suggestion_ms) union all
                    select 1, unnest(p.suggestion_to_client_ms) union all
                    select 2, unnest(p.end_to_end_ms)) as h(hop, v)
                  group by h.hop, h.v),
                ranked as (
                  select hop, v, sum(n) over (partition by hop order by v) as below,
                         sum(n) over (partition by hop) as total
                  from counts)
                select hop, max(total),
                       min(v) filter (where below >= greatest(ceil(0.5::float8 * total), 1)),
                       min(v) filter (where below >= greatest(ceil(0.95::float8 * total), 1)),
                       max(v)
                from ranked group by hop""".formatted(picked(tenantId, filter, parameters,
                "s.transcript_to_suggestion_ms, s.suggestion_to_client_ms, s.end_to_end_ms"));
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

    /** The filter's sessions with their per-session figures and {@code columns}; {@code at} is the start. */
    private static String picked(String tenantId, SessionFilter filter, Map<String, Object> parameters,
                                 String columns) {
        var sql = new StringBuilder("select s.session_id, s.rep_id, s.team, s.outcome, s.duration_ms, s.rep_talk_ms, "
                + "s.talk_ms, s.objection_count, s.prompt_count, s.prompt_latency_ms, s.last_end_ms, s.audio_tracks, "
                + "s.llm_tokens, s.llm_cost_usd, s.transcription_failures, s.agent_speech_ms, s.tts_chars, s.tts_cost_usd, "
                + columns + ", " + SessionSearch.AT
                + " as at from sessions s where s.tenant_id = :tenant");
        parameters.put("tenant", tenantId);
        SessionSearch.where(filter, sql, parameters);
        return sql.toString();
    }
}
