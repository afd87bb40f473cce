-- Call outcome and team (client metadata of session.started, merged with session.updated), post-call summary.
ALTER TABLE sessions
    ADD COLUMN metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN team          text,
    ADD COLUMN outcome       text,
    ADD COLUMN summary       text,
    ADD COLUMN next_steps    jsonb,
    ADD COLUMN summary_model text,
    ADD COLUMN summarized_at timestamptz;
CREATE INDEX sessions_tenant_team_recent ON sessions (tenant_id, team, (coalesce(started_at, first_seen_at)) DESC);
CREATE INDEX sessions_tenant_outcome_recent ON sessions (tenant_id, outcome, (coalesce(started_at, first_seen_at)) DESC);

-- coaching.stage_changed: one row per change, the timeline is computed on read.
CREATE TABLE stage_changes (
    event_id       uuid        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    session_id     text        NOT NULL REFERENCES sessions (session_id),
    methodology    text,
    stage          text        NOT NULL,
    previous_stage text,
    utterance_id   text,
    at_ms          bigint      NOT NULL,
    occurred_at    timestamptz NOT NULL
);
CREATE INDEX stage_changes_tenant_session ON stage_changes (tenant_id, session_id);

-- llm.usage: one row per LLM call made for a session.
CREATE TABLE llm_calls (
    event_id          uuid             PRIMARY KEY,
    tenant_id         text             NOT NULL,
    session_id        text             NOT NULL REFERENCES sessions (session_id),
    request_id        text,
    purpose           text,
    model             text,
    prompt_tokens     bigint           NOT NULL,
    completion_tokens bigint           NOT NULL,
    cost_usd          double precision NOT NULL,
    latency_ms        bigint           NOT NULL,
    outcome           text,
    occurred_at       timestamptz      NOT NULL
);
CREATE INDEX llm_calls_tenant_session ON llm_calls (tenant_id, session_id);

-- transcript.failed: utterances the speech-to-text engine could not transcribe.
CREATE TABLE transcription_failures (
    event_id     uuid        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    session_id   text        NOT NULL REFERENCES sessions (session_id),
    utterance_id text,
    track        text,
    code         text,
    message      text,
    engine       text,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX transcription_failures_tenant_session ON transcription_failures (tenant_id, session_id);
