package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.ingest.Change.SpeechCut;
import io.voicecoach.analytics.ingest.Change.SpeechDone;
import io.voicecoach.analytics.ingest.Change.SpeechFailed;
import io.voicecoach.analytics.ingest.Change.LlmCalled;
import io.voicecoach.analytics.ingest.Change.Spoken;
import io.voicecoach.analytics.ingest.Change.TranscriptionFailed;
import io.voicecoach.events.Track;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the per-session figures of {@code sessions} current, in the batch's transaction: utterance counts and talk
 * time by difference (a replaced utterance's old length is subtracted), suggestion figures (counts, objections per
 * category, each suggestion's hop latencies) recomputed for the sessions the batch touched (a handful of rows each),
 * LLM usage and transcription failures added up.
 */
final class SessionCounters {

    private static final class Talk {
        int count;
        long talkMs;
        long repTalkMs;
        long lastEndMs;
        int audioTracks;
    }

    /** @param replaced the stored rows the batch's utterances replace (their old lengths are subtracted) */
    static void utterances(Connection c, Collection<Spoken> rows, Collection<Rows.Stored> replaced)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Talk> bySession = new LinkedHashMap<>();
        for (var old : replaced) {
            var talk = bySession.computeIfAbsent(old.sessionId(), s -> new Talk());
            talk.count--;
            talk.talkMs -= old.lengthMs();
            talk.repTalkMs -= Track.AGENT.equals(old.track()) ? old.lengthMs() : 0;
        }
        for (Spoken s : rows) {
            var talk = bySession.computeIfAbsent(s.event().sessionId(), id -> new Talk());
            var p = s.payload();
            long length = p.endMs() - p.startMs();
            talk.count++;
            talk.talkMs += length;
            talk.repTalkMs += Track.AGENT.equals(p.track()) ? length : 0;
            talk.lastEndMs = Math.max(talk.lastEndMs, p.endMs());
            if (p.engine() != null && !"text".equals(p.engine())) {
                talk.audioTracks |= Track.AGENT.equals(p.track()) ? 1 : 2;
            }
        }
        var sessions = bySession.entrySet();
        Sql.run(c, """
                update sessions s set utterance_count = s.utterance_count + k.n, talk_ms = s.talk_ms + k.t,
                       rep_talk_ms = s.rep_talk_ms + k.r, last_end_ms = greatest(s.last_end_ms, k.e),
                       audio_tracks = s.audio_tracks | k.a
                from unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                     as k(id, n, t, r, e, a)
                where s.session_id = k.id""",
                Sql.texts(c, sessions, Map.Entry::getKey), Sql.longs(c, sessions, e -> e.getValue().count),
                Sql.longs(c, sessions, e -> e.getValue().talkMs), Sql.longs(c, sessions, e -> e.getValue().repTalkMs),
                Sql.longs(c, sessions, e -> e.getValue().lastEndMs), Sql.longs(c, sessions, e -> e.getValue().audioTracks));
    }

    static void suggestions(Connection c, Set<String> sessionIds) throws SQLException {
        if (sessionIds.isEmpty()) {
            return;
        }
        Sql.run(c, """
                update sessions s set suggestion_count = x.n, objection_count = x.o, prompt_count = x.p,
                       prompt_latency_ms = x.l, transcript_to_suggestion_ms = x.ha, suggestion_to_client_ms = x.hb,
                       end_to_end_ms = x.hc, objections_by_category = coalesce(oc.j, '{}'::jsonb)
                from (select session_id, count(*) as n,
                             count(distinct (utterance_id, category)) filter (where kind = 'objection') as o,
                             count(*) filter (where delivered_at is not null and received_at is not null) as p,
                             coalesce(sum(extract(epoch from (delivered_at - received_at)) * 1000)
                                      filter (where delivered_at is not null and received_at is not null), 0) as l,
                             coalesce(array_agg(floor(extract(epoch from (suggested_at - transcript_at)) * 1000)::bigint)
                                      filter (where suggested_at is not null and transcript_at is not null), '{}') as ha,
                             coalesce(array_agg(floor(extract(epoch from (delivered_at - suggested_at)) * 1000)::bigint)
                                      filter (where delivered_at is not null and suggested_at is not null), '{}') as hb,
                             coalesce(array_agg(floor(extract(epoch from (delivered_at - received_at)) * 1000)::bigint)
                                      filter (where delivered_at is not null and received_at is not null), '{}') as hc
                      from suggestions where session_id = any(?) group by session_id) x
                left join lateral (
                      select jsonb_object_agg(q.category, q.n) as j
                      from (select g.category, count(distinct (g.utterance_id, g.category)) as n from suggestions g
                            where g.session_id = x.session_id and g.kind = 'objection' and g.category is not null
                            group by g.category) q) oc on true
                where s.session_id = x.session_id""",
                Sql.texts(c, sessionIds, id -> id));
    }

    static void llmCalls(Connection c, List<LlmCalled> rows) throws SQLException {
        Map<String, long[]> tokens = new HashMap<>();
        Map<String, Double> cost = new HashMap<>();
        for (LlmCalled l : rows) {
            tokens.computeIfAbsent(l.event().sessionId(), s -> new long[1])[0] +=
                    (long) l.payload().promptTokens() + l.payload().completionTokens();
            cost.merge(l.event().sessionId(), l.payload().costUsd(), Double::sum);
        }
        if (tokens.isEmpty()) {
            return;
        }
        var ids = tokens.keySet();
        Sql.run(c, """
                update sessions s set llm_tokens = s.llm_tokens + k.t, llm_cost_usd = s.llm_cost_usd + k.c
                from unnest(?::text[], ?::bigint[], ?::float8[]) as k(id, t, c) where s.session_id = k.id""",
                Sql.texts(c, ids, id -> id), Sql.longs(c, ids, id -> tokens.get(id)[0]), Sql.doubles(c, ids, cost::get));
    }

    static void failures(Connection c, List<TranscriptionFailed> rows) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(f -> counts.merge(f.event().sessionId(), 1L, Long::sum));
        if (counts.isEmpty()) {
            return;
        }
        var ids = counts.keySet();
        Sql.run(c, """
                update sessions s set transcription_failures = s.transcription_failures + k.n
                from unnest(?::text[], ?::bigint[]) as k(id, n) where s.session_id = k.id""",
                Sql.texts(c, ids, id -> id), Sql.longs(c, ids, counts::get));
    }

    /**
     * The voice agent's speech: per session, the audio the caller heard (each item's synthesized length, or up to its
     * cut: {@link SpeechItems}), the characters of the items spoken and their cost at the tenant's price for each
     * item's engine (an item synthesized again counts once), and the items that failed.
     */
    static void speech(Connection c, List<SpeechDone> spoken, List<SpeechCut> cuts, List<SpeechFailed> failed,
                       SpeechPrices prices) throws SQLException {
        final class Speech {
            long ms;
            long chars;
            double cost;
            long items;
            long failures;
        }
        Map<String, Speech> bySession = new LinkedHashMap<>();
        var applied = SpeechItems.apply(c, spoken, cuts);
        applied.heardMsDelta().forEach((session, ms) -> bySession.computeIfAbsent(session, s -> new Speech()).ms += ms);
        for (SpeechDone done : applied.firstSynthesis()) {
            var speech = bySession.computeIfAbsent(done.event().sessionId(), s -> new Speech());
            var p = done.payload();
            long chars = p.transcript() == null ? 0 : p.transcript().length();
            speech.chars += chars;
            speech.cost += prices.cost(done.event().tenantId(), p.engine(), chars);
            speech.items++;
        }
        failed.forEach(f -> bySession.computeIfAbsent(f.event().sessionId(), s -> new Speech()).failures++);
        if (bySession.isEmpty()) {
            return;
        }
        var sessions = bySession.entrySet();
        Sql.run(c, """
                update sessions s set agent_speech_ms = s.agent_speech_ms + k.ms, tts_chars = s.tts_chars + k.ch,
                       tts_cost_usd = s.tts_cost_usd + k.c, tts_items = s.tts_items + k.n,
                       tts_failures = s.tts_failures + k.f
                from unnest(?::text[], ?::bigint[], ?::bigint[], ?::float8[], ?::bigint[], ?::bigint[])
                     as k(id, ms, ch, c, n, f)
                where s.session_id = k.id""",
                Sql.texts(c, sessions, Map.Entry::getKey), Sql.longs(c, sessions, e -> e.getValue().ms),
                Sql.longs(c, sessions, e -> e.getValue().chars), Sql.doubles(c, sessions, e -> e.getValue().cost),
                Sql.longs(c, sessions, e -> e.getValue().items), Sql.longs(c, sessions, e -> e.getValue().failures));
    }

    private SessionCounters() {
    }
}
