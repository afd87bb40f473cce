-- Per-session rollups kept by ingestion in the batch's transaction (SessionCounters.suggestions recomputes them for
-- the sessions a batch touched), so that the tenant aggregates and the latency percentiles read one row per session
-- instead of joining the suggestions. An erased session's row goes, and its contribution with it.
ALTER TABLE sessions
    ADD COLUMN objections_by_category      jsonb    NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN transcript_to_suggestion_ms bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN suggestion_to_client_ms     bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN end_to_end_ms               bigint[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN sessions.objections_by_category IS 'objection prompts per category, one per (utterance, category)';
COMMENT ON COLUMN sessions.end_to_end_ms IS 'per suggestion with both timestamps: floor of deliveredAt - receivedAt in ms';

-- sessions rows are updated by every batch that touches the session: leave room for HOT updates (no index writes).
ALTER TABLE sessions SET (fillfactor = 70);

-- Lookups by session use the unique (session_id, utterance_id) index; the event id is deduplicated by processed_events.
DROP INDEX utterances_tenant_session;
ALTER TABLE utterances DROP CONSTRAINT utterances_event_id_key;
-- Ingestion recomputes the suggestion figures of a batch's sessions (session_id = any(...), any tenant): (tenant_id,
-- session_id) made that a scan of the whole index per batch; tenant-scoped reads name the session too.
DROP INDEX suggestions_tenant_session;
CREATE INDEX suggestions_session ON suggestions (session_id);

UPDATE sessions s SET transcript_to_suggestion_ms = x.a, suggestion_to_client_ms = x.b, end_to_end_ms = x.c
FROM (SELECT session_id,
             coalesce(array_agg(floor(extract(epoch FROM (suggested_at - transcript_at)) * 1000)::bigint)
                      FILTER (WHERE suggested_at IS NOT NULL AND transcript_at IS NOT NULL), '{}') AS a,
             coalesce(array_agg(floor(extract(epoch FROM (delivered_at - suggested_at)) * 1000)::bigint)
                      FILTER (WHERE delivered_at IS NOT NULL AND suggested_at IS NOT NULL), '{}') AS b,
             coalesce(array_agg(floor(extract(epoch FROM (delivered_at - received_at)) * 1000)::bigint)
                      FILTER (WHERE delivered_at IS NOT NULL AND received_at IS NOT NULL), '{}') AS c
      FROM suggestions GROUP BY session_id) x
WHERE s.session_id = x.session_id;
UPDATE sessions s SET objections_by_category = x.j
FROM (SELECT session_id, jsonb_object_agg(category, n) AS j
      FROM (SELECT session_id, category, count(DISTINCT (utterance_id, category)) AS n FROM suggestions
            WHERE kind = 'objection' AND category IS NOT NULL GROUP BY session_id, category) q
      GROUP BY session_id) x
WHERE s.session_id = x.session_id;
