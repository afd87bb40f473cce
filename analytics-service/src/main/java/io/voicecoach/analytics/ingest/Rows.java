package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.ingest.BatchWriter.ReceiptFold;
import io.voicecoach.analytics.ingest.Change.LlmCalled;
import io.voicecoach.analytics.ingest.Change.Spoken;
import io.voicecoach.analytics.ingest.Change.Staged;
import io.voicecoach.analytics.ingest.Change.Suggested;
import io.voicecoach.analytics.ingest.Change.ToolAnswered;
import io.voicecoach.analytics.ingest.Change.ToolRequested;
import io.voicecoach.analytics.ingest.Change.TranscriptionFailed;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/** One multi-row statement per table; each row appears once per statement (the batch folded them per key). */
final class Rows {

    /** A re-published final transcript (same utterance id, new event) replaces the earlier row. */
    static void utterances(Connection c, Collection<Spoken> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into utterances (event_id, tenant_id, session_id, utterance_id, track, text, start_ms, end_ms,
                                        confidence, engine, received_at, published_at)
                select e::uuid, t, s, u, tr, tx, st, en, co, en2, r::timestamptz, p::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
                            ?::float8[], ?::text[], ?::text[], ?::text[]) as k(e, t, s, u, tr, tx, st, en, co, en2, r, p)
                on conflict (session_id, utterance_id) do update set event_id = excluded.event_id,
                    track = excluded.track, text = excluded.text, start_ms = excluded.start_ms,
                    end_ms = excluded.end_ms, confidence = excluded.confidence, engine = excluded.engine,
                    received_at = excluded.received_at, published_at = excluded.published_at""",
                Sql.texts(c, rows, r -> r.event().eventId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().utteranceId()),
                Sql.texts(c, rows, r -> r.payload().track()),
                Sql.texts(c, rows, r -> r.payload().text() == null ? "" : r.payload().text()),
                Sql.longs(c, rows, r -> r.payload().startMs()), Sql.longs(c, rows, r -> r.payload().endMs()),
                Sql.doubles(c, rows, r -> r.payload().confidence()), Sql.texts(c, rows, r -> r.payload().engine()),
                Sql.texts(c, rows, r -> r.payload().receivedAt()), Sql.texts(c, rows, r -> r.event().occurredAt()));
    }

    /** The suggestion's fields; its delivery time (from a receipt) is kept. */
    static void suggestions(Connection c, Collection<Suggested> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Sql.run(c, """
                insert into suggestions (suggestion_id, tenant_id, session_id, utterance_id, kind, category, title,
                                         message, confidence, source, priority, card, received_at, transcript_at,
                                         suggested_at)
                select id, t, s, u, k, ca, ti, m, co, so, pr, cd::jsonb, r::timestamptz, tr::timestamptz, sg::timestamptz
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::float8[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[])
                     as k(id, t, s, u, k, ca, ti, m, co, so, pr, cd, r, tr, sg)
                on conflict (suggestion_id) do update set utterance_id = excluded.utterance_id, kind = excluded.kind,
                    category = excluded.category, title = excluded.title, message = excluded.message,
                    confidence = excluded.confidence, source = excluded.source, priority = excluded.priority,
                    card = excluded.card, received_at = excluded.received_at, transcript_at = excluded.transcript_at,
                    suggested_at = excluded.suggested_at
                where suggestions.tenant_id = excluded.tenant_id and suggestions.session_id = excluded.session_id""",
                Sql.texts(c, rows, r -> r.payload().suggestionId()), Sql.texts(c, rows, r -> r.event().tenantId()),
                Sql.texts(c, rows, r -> r.event().sessionId()), Sql.texts(c, rows, r -> r.payload().utteranceId()),
                Sql.texts(c, rows, r -> r.payload().kind()), Sql.texts(c, rows, r -> r.payload().category()),
                Sql.texts(c, rows, r -> r.payload().title()), Sql.texts(c, rows, r -> r.payload().message()),
                Sql.doubles(c, rows, r -> r.payload().confidence()), Sql.texts(c, rows, r -> r.payload().source()),
                Sql.longs(c, rows, r -> r.payload().priority()), Sql.texts(c, rows, Suggested::card),
                Sql.texts(c, rows, r -> r.payload().receivedAt()), Sql.texts(c, rows, r -> r.payload().transcriptAt()),
                Sql.texts(c, rows, r -> r.event().occurredAt()));
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
