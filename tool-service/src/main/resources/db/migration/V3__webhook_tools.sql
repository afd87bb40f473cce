-- Tools a tenant defines itself: an OpenAI function definition plus the HTTPS endpoint that runs it.
CREATE TABLE webhook_tools (
    tenant_id      text        NOT NULL,
    name           text        NOT NULL,
    description    text        NOT NULL,
    parameters     jsonb       NOT NULL,
    enabled        boolean     NOT NULL DEFAULT true,
    url            text        NOT NULL,
    -- HMAC-SHA256 key for X-VoiceCoach-Signature; needed in clear to sign, never returned after creation
    signing_secret text        NOT NULL,
    timeout_ms     int         NOT NULL,
    idempotent     boolean     NOT NULL DEFAULT false,
    result_schema  jsonb,
    -- bumped on every change, so compiled schemas are cached per version
    version        int         NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_tools_pkey PRIMARY KEY (tenant_id, name),
    CONSTRAINT webhook_tools_name_check CHECK (name ~ '^[A-Za-z0-9_-]{1,64}$'),
    CONSTRAINT webhook_tools_timeout_check CHECK (timeout_ms BETWEEN 100 AND 60000)
);
