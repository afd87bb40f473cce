package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.ingest.BatchWriter.ReceiptFold;
import io.voicecoach.analytics.ingest.Change.Carded;
import io.voicecoach.analytics.ingest.Change.LlmCalled;
import io.voicecoach.analytics.ingest.Change.Spoken;
import io.voicecoach.analytics.ingest.Change.Staged;
import io.voicecoach.analytics.ingest.Change.Suggested;
import io.voicecoach.analytics.ingest.Change.ToolAnswered;
import io.voicecoach.analytics.ingest.Change.ToolRequested;
import io.voicecoach.analytics.ingest.Change.TranscriptionFailed;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One multi-row statement per table; each row appears once per statement (the batch folded them per key). */
final class Rows {

    /** A stored utterance a batch replaces: its session, track and length (ms). */
    record Stored(String sessionId, String track, long lengthMs) {
    }

    static String utteranceKey(String sessionId, String utteranceId) {
        return sessionId + "\u0000" + utteranceId;
    }

    /**
     * The stored rows of the batch's utterances, by {@link #utteranceKey}. Read after the batch locked its sessions:
     * every writer of a session's utterances holds that lock, so the answer stays true until the commit.
     */
    static Map<String, Stored> storedUtterances(Connection c, Collection<Spoken> rows) throws SQLException {
        var stored = new HashMap<String, Stored>();
        if (rows.isEmpty()) {
            return stored;
        }
        try (var old = c.prepareStatement("""
                select u.session_id, u.utterance_id, u.track, u.end_ms - u.start_ms from utterances u
                join unnest(?::text[], ?::text[]) as k(s, id) on u.session_id = k.s and u.utterance_id = k.id""")) {
            old.setArray(1, Sql.texts(c, rows, r -> r.event().sessionId()));
            old.setArray(2, Sql.texts(c, rows, r -> r.payload().utteranceId()));
            try (var found = old.executeQuery()) {
                while (found.next()) {
                    stored.put(utteranceKey(found.getString(1), found.getString(2)),
                            new Stored(found.getString(1), found.getString(3), found.getLong(4)));
                }
            }
        }
        return stored;
    }

    /**
     * New utterances are inserted, those in {@code stored} (a re-published final transcript: same utterance id, new
     * event) replace their row: two plain statements instead of an {@code on conflict do update}, which would probe
     * the unique index again for every row and take the slower speculative-insertion path.
     */
    static void utterances(Connection c, Collection<Spoken> rows, Set<String> stored) throws SQLException {
        var fresh = new ArrayList<Spoken>();
        var replacing = new ArrayList<Spoken>();
        for (Spoken row : rows) {
            (stored.contains(utteranceKey(row.event().sessionId(), row.payload().utteranceId())) ? replacing : fresh)
                    .add(row);
        }
        if (!fresh.isEmpty()) {
            Sql.run(c, """
                    insert into utterances (event_id, tenant_id, session_id, utterance_id, track, text, start_ms,
                                            end_ms, confidence, engine, received_at, published_at)
                    select e::uuid, t, s, u, tr, tx, st, en, co, en2, r::timestamptz, p::timestamptz
                    from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                                ?::bigint[], ?::float8[], ?::text[], ?::text[], ?::text[])
                         as k(e, t, s, u, tr, tx, st, en, co, en2, r, p)""", utteranceColumns(c, fresh));
        }
        if (!replacing.isEmpty()) {
            Sql.run(c, """
                    update utterances set event_id = k.e::uuid, track = k.tr, text = k.tx, start_ms = k.st,
                           end_ms = k.en, confidence = k.co, engine = k.en2, received_at = k.r::timestamptz,
                           published_at = k.p::timestamptz
                    from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                                ?::bigint[], ?::float8[], ?::text[], ?::text[], ?::text[])
                         as k(e, t, s, u, tr, tx, st, en, co, en2, r, p)
                    where utterances.session_id = k.s and utterances.utterance_id = k.u""",
                    utteranceColumns(c, replacing));
        }
    }

    private static Array[] utteranceColumns(Connection c, Collection<Spoken> rows) throws SQLException {
        return new Array[]{
                Sql.texts(c, rows, r -> r.event().eventId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().utteranceId()),
                Sql.texts(c, rows, r -> r.payload().track()),
                Sql.texts(c, rows, r -> r.payload().text() == null ? "" : r.payload().text()),
                Sql.longs(c, rows, r -> r.payload().startMs()), Sql.longs(c, rows, r -> r.payload().endMs()),
                Sql.doubles(c, rows, r -> r.payload().confidence()), Sql.texts(c, rows, r -> r.payload().engine()),
                Sql.texts(c, rows, r -> r.payload().receivedAt()), Sql.texts(c, rows, r -> r.event().occurredAt())};
    }

    /** The suggestion's fields (citations included); its delivery time (from a receipt) and a battle card already stored are kept. */
    static void suggestions(Connection c, Collection<Suggested> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into suggestions (suggestion_id, tenant_id, session_id, utterance_id, kind, category, title,
                                         message, confidence, source, priority, card, received_at, transcript_at,
                                         suggested_at, citations)
                select id, t, s, u, k, ca, ti, m, co, so, pr, cd::jsonb, r::timestamptz, tr::timestamptz, sg::timestamptz,
                       ci::jsonb
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::float8[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     as k(id, t, s, u, k, ca, ti, m, co, so, pr, cd, r, tr, sg, ci)
                on conflict (suggestion_id) do update set utterance_id = excluded.utterance_id, kind = excluded.kind,
                    category = excluded.category, title = excluded.title, message = excluded.message,
                    confidence = excluded.confidence, source = excluded.source, priority = excluded.priority,
                    card = coalesce(excluded.card, suggestions.card), received_at = excluded.received_at, transcript_at = excluded.transcript_at,
                    suggested_at = excluded.suggested_at, citations = excluded.citations
                where suggestions.tenant_id = excluded.tenant_id and suggestions.session_id = excluded.session_id""",
                Sql.texts(c, rows, r -> r.payload().suggestionId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().utteranceId()),
                Sql.texts(c, rows, r -> r.payload().kind()), Sql.texts(c, rows, r -> r.payload().category()),
                Sql.texts(c, rows, r -> r.payload().title()), Sql.texts(c, rows, r -> r.payload().message()),
                Sql.doubles(c, rows, r -> r.payload().confidence()), Sql.texts(c, rows, r -> r.payload().source()),
                Sql.longs(c, rows, r -> r.payload().priority()), Sql.texts(c, rows, Suggested::card),
                Sql.texts(c, rows, r -> r.payload().receivedAt()), Sql.texts(c, rows, r -> r.payload().transcriptAt()),
                Sql.texts(c, rows, r -> r.event().occurredAt()), Sql.texts(c, rows, Suggested::citations));
    }

    /** A receipt may come first: it creates the row with its fields; the earliest delivery counts. */
    static void receipts(Connection c, Collection<ReceiptFold> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into suggestions (suggestion_id, tenant_id, session_id, utterance_id, suggested_at, delivered_at)
                select id, t, s, u, sg::timestamptz, d::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as k(id, t, s, u, sg, d)
                on conflict (suggestion_id) do update set
                    utterance_id = coalesce(suggestions.utterance_id, excluded.utterance_id),
                    suggested_at = coalesce(suggestions.suggested_at, excluded.suggested_at),
                    delivered_at = least(suggestions.delivered_at, excluded.delivered_at)
                where suggestions.tenant_id = excluded.tenant_id and suggestions.session_id = excluded.session_id""",
                Sql.texts(c, rows, r -> r.first.payload().suggestionId()),
                Sql.texts(c, rows, r -> r.first.event().tenantId()), Sql.texts(c, rows, r -> r.first.event().sessionId()),
                Sql.texts(c, rows, r -> r.utteranceId), Sql.texts(c, rows, r -> r.suggestedAt),
                Sql.texts(c, rows, r -> r.deliveredAt));
    }

    /**
     * Sets the battle card of suggestions already stored (the card follows its suggestion on the same partition),
     * only where tenant and session match the card's event; setting the same card again changes nothing.
     */
    static void cards(Connection c, Collection<Carded> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                update suggestions set card = k.cd::jsonb
                from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as k(id, t, s, cd)
                where suggestions.suggestion_id = k.id and suggestions.tenant_id = k.t and suggestions.session_id = k.s""",
                Sql.texts(c, rows, r -> r.payload().suggestionId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, Carded::card));
    }

    static void toolCalls(Connection c, Collection<ToolRequested> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into tool_calls (call_id, tenant_id, session_id, tool, arguments, requested_by, timeout_ms,
                                        requested_at)
                select id, t, s, tl, a::jsonb, b, tm, r::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[])
                     as k(id, t, s, tl, a, b, tm, r)
                on conflict (call_id) do update set tool = excluded.tool, arguments = excluded.arguments,
                    requested_by = excluded.requested_by, timeout_ms = excluded.timeout_ms,
                    requested_at = excluded.requested_at
                where tool_calls.tenant_id = excluded.tenant_id and tool_calls.session_id = excluded.session_id""",
                Sql.texts(c, rows, r -> r.payload().callId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().tool()),
                Sql.texts(c, rows, ToolRequested::arguments), Sql.texts(c, rows, r -> r.payload().requestedBy()),
                Sql.longs(c, rows, r -> r.payload().timeoutMs()), Sql.texts(c, rows, r -> r.event().occurredAt()));
    }

    /** A result may come before its call: it creates the row; the call's tool name is kept if known. */
    static void toolResults(Connection c, Collection<ToolAnswered> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into tool_calls (call_id, tenant_id, session_id, tool, status, result, error_code,
                                        error_message, tool_latency_ms, completed_at)
                select id, t, s, tl, st, r::jsonb, ec, em, l, ca::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::bigint[], ?::text[]) as k(id, t, s, tl, st, r, ec, em, l, ca)
                on conflict (call_id) do update set tool = coalesce(tool_calls.tool, excluded.tool),
                    status = excluded.status, result = excluded.result, error_code = excluded.error_code,
                    error_message = excluded.error_message, tool_latency_ms = excluded.tool_latency_ms,
                    completed_at = excluded.completed_at
                where tool_calls.tenant_id = excluded.tenant_id and tool_calls.session_id = excluded.session_id""",
                Sql.texts(c, rows, r -> r.payload().callId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().tool()),
                Sql.texts(c, rows, r -> r.payload().status()), Sql.texts(c, rows, ToolAnswered::result),
                Sql.texts(c, rows, r -> r.payload().error() == null ? null : r.payload().error().code()),
                Sql.texts(c, rows, r -> r.payload().error() == null ? null : r.payload().error().message()),
                Sql.longs(c, rows, r -> r.payload().latencyMs()), Sql.texts(c, rows, r -> r.event().occurredAt()));
    }

    static void stages(Connection c, Collection<Staged> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into stage_changes (event_id, tenant_id, session_id, methodology, stage, previous_stage,
                                           utterance_id, at_ms, occurred_at)
                select e::uuid, t, s, m, st, ps, u, a, o::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                            ?::text[]) as k(e, t, s, m, st, ps, u, a, o)
                on conflict (event_id) do nothing""",
                Sql.texts(c, rows, r -> r.event().eventId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().methodology()),
                Sql.texts(c, rows, r -> r.payload().stage()), Sql.texts(c, rows, r -> r.payload().previousStage()),
                Sql.texts(c, rows, r -> r.payload().utteranceId()), Sql.longs(c, rows, r -> r.payload().atMs()),
                Sql.texts(c, rows, r -> r.event().occurredAt()));
    }

    static void llmCalls(Connection c, Collection<LlmCalled> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into llm_calls (event_id, tenant_id, session_id, request_id, purpose, model, prompt_tokens,
                                       completion_tokens, cost_usd, latency_ms, outcome, occurred_at)
                select e::uuid, t, s, r, p, m, pt, ct, co, l, ou, o::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
                            ?::float8[], ?::bigint[], ?::text[], ?::text[]) as k(e, t, s, r, p, m, pt, ct, co, l, ou, o)
                on conflict (event_id) do nothing""",
                Sql.texts(c, rows, r -> r.event().eventId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().requestId()),
                Sql.texts(c, rows, r -> r.payload().purpose()), Sql.texts(c, rows, r -> r.payload().model()),
                Sql.longs(c, rows, r -> r.payload().promptTokens()),
                Sql.longs(c, rows, r -> r.payload().completionTokens()),
                Sql.doubles(c, rows, r -> r.payload().costUsd()), Sql.longs(c, rows, r -> r.payload().latencyMs()),
                Sql.texts(c, rows, r -> r.payload().outcome()), Sql.texts(c, rows, r -> r.event().occurredAt()));
    }

    static void failures(Connection c, Collection<TranscriptionFailed> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into transcription_failures (event_id, tenant_id, session_id, utterance_id, track, code, message,
                                                    engine, occurred_at)
                select e::uuid, t, s, u, tr, co, m, en, o::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[]) as k(e, t, s, u, tr, co, m, en, o)
                on conflict (event_id) do nothing""",
                Sql.texts(c, rows, r -> r.event().eventId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().utteranceId()),
                Sql.texts(c, rows, r -> r.payload().track()), Sql.texts(c, rows, r -> r.payload().code()),
                Sql.texts(c, rows, r -> r.payload().message()), Sql.texts(c, rows, r -> r.payload().engine()),
                Sql.texts(c, rows, r -> r.event().occurredAt()));
    }

    private Rows() {
    }
}
