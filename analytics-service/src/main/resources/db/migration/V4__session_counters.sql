-- Per-session figures kept current by ingestion (a few statements per batch), so that the session list and the
-- tenant aggregates read one row per session instead of scanning its utterances and suggestions.
ALTER TABLE sessions
    ADD COLUMN utterance_count        integer          NOT NULL DEFAULT 0,
    ADD COLUMN talk_ms                bigint           NOT NULL DEFAULT 0,
    ADD COLUMN rep_talk_ms            bigint           NOT NULL DEFAULT 0,
    ADD COLUMN last_end_ms            bigint,
    ADD COLUMN audio_tracks           integer          NOT NULL DEFAULT 0,
    ADD COLUMN suggestion_count       integer          NOT NULL DEFAULT 0,
    ADD COLUMN objection_count        integer          NOT NULL DEFAULT 0,
    ADD COLUMN prompt_count           integer          NOT NULL DEFAULT 0,
    ADD COLUMN prompt_latency_ms      double precision NOT NULL DEFAULT 0,
    ADD COLUMN llm_tokens             bigint           NOT NULL DEFAULT 0,
    ADD COLUMN llm_cost_usd           double precision NOT NULL DEFAULT 0,
    ADD COLUMN transcription_failures integer          NOT NULL DEFAULT 0;
COMMENT ON COLUMN sessions.audio_tracks IS 'bit 1: agent track had audio, bit 2: customer track had audio';

UPDATE sessions s SET utterance_count = x.n, talk_ms = x.t, rep_talk_ms = x.r, last_end_ms = x.e, audio_tracks = x.a
FROM (SELECT session_id, count(*) AS n, sum(end_ms - start_ms) AS t,
             coalesce(sum(end_ms - start_ms) FILTER (WHERE track = 'agent'), 0) AS r, max(end_ms) AS e,
             bit_or(CASE WHEN engine IS NOT NULL AND engine <> 'text'
                         THEN CASE track WHEN 'agent' THEN 1 ELSE 2 END ELSE 0 END) AS a
      FROM utterances GROUP BY session_id) x
WHERE s.session_id = x.session_id;
UPDATE sessions s SET suggestion_count = x.n, objection_count = x.o, prompt_count = x.p, prompt_latency_ms = x.l
FROM (SELECT session_id, count(*) AS n,
             count(DISTINCT (utterance_id, category)) FILTER (WHERE kind = 'objection') AS o,
             count(*) FILTER (WHERE delivered_at IS NOT NULL AND received_at IS NOT NULL) AS p,
             coalesce(sum(extract(epoch FROM (delivered_at - received_at)) * 1000)
                      FILTER (WHERE delivered_at IS NOT NULL AND received_at IS NOT NULL), 0) AS l
      FROM suggestions GROUP BY session_id) x
WHERE s.session_id = x.session_id;
UPDATE sessions s SET llm_tokens = x.t, llm_cost_usd = x.c
FROM (SELECT session_id, sum(prompt_tokens + completion_tokens) AS t, sum(cost_usd) AS c FROM llm_calls GROUP BY session_id) x
WHERE s.session_id = x.session_id;
UPDATE sessions s SET transcription_failures = x.n
FROM (SELECT session_id, count(*) AS n FROM transcription_failures GROUP BY session_id) x
WHERE s.session_id = x.session_id;
