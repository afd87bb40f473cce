-- Tool calls and their results; a result may arrive before its call (two topics).
CREATE TABLE tool_calls (
    call_id         text PRIMARY KEY,
    tenant_id       text        NOT NULL,
    session_id      text        NOT NULL REFERENCES sessions (session_id),
    tool            text,
    arguments       jsonb,
    requested_by    text,
    timeout_ms      bigint,
    requested_at    timestamptz,
    status          text,
    result          jsonb,
    error_code      text,
    error_message   text,
    tool_latency_ms bigint,
    completed_at    timestamptz
);
CREATE INDEX tool_calls_tenant_session ON tool_calls (tenant_id, session_id);

-- Right to erasure: a deleted session's id, so that late events of it are not stored again.
CREATE TABLE erased_sessions (
    session_id text        PRIMARY KEY,
    tenant_id  text        NOT NULL,
    erased_at  timestamptz NOT NULL DEFAULT now()
);

-- Search and aggregates: by rep over time, objections by category.
CREATE INDEX sessions_tenant_rep_recent ON sessions (tenant_id, rep_id, (coalesce(started_at, first_seen_at)) DESC);
CREATE INDEX suggestions_tenant_objection ON suggestions (tenant_id, category, session_id) WHERE kind = 'objection';
