-- A tenant's prepared answers, one per objection category, optionally specialised for a competitor.
CREATE TABLE battle_cards (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      text        NOT NULL,
    category       text        NOT NULL,
    competitor     text,
    title          text        NOT NULL,
    body           text        NOT NULL,
    talking_points jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT battle_cards_category_check
        CHECK (category IN ('price', 'timing', 'authority', 'need', 'competitor', 'trust', 'status_quo')),
    CONSTRAINT battle_cards_competitor_lowercase CHECK (competitor = lower(competitor)),
    -- NULLS NOT DISTINCT: one generic (competitor-less) card per tenant and category
    CONSTRAINT battle_cards_tenant_category_competitor_key
        UNIQUE NULLS NOT DISTINCT (tenant_id, category, competitor)
);

-- Every tool call: the audit log and, by its key, the idempotency record of a callId.
CREATE TABLE tool_calls (
    tenant_id     text        NOT NULL,
    call_id       text        NOT NULL,
    session_id    text        NOT NULL,
    -- seq of the tool.result envelope within its session, so a replayed result carries the same seq
    seq           bigint      NOT NULL,
    tool          text        NOT NULL,
    arguments     jsonb,
    status        text        NOT NULL,
    result        jsonb,
    error_code    text,
    error_message text,
    latency_ms    bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tool_calls_pkey PRIMARY KEY (tenant_id, call_id),
    -- 'running' exists only inside the transaction that claimed the call
    CONSTRAINT tool_calls_status_check CHECK (status IN ('running', 'ok', 'error'))
);

CREATE INDEX tool_calls_tenant_session_idx ON tool_calls (tenant_id, session_id);
CREATE INDEX tool_calls_tenant_created_idx ON tool_calls (tenant_id, created_at);
