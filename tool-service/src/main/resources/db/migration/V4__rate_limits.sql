-- One token bucket per tenant, shared by every tool-service instance (see limits.RateLimiter).
CREATE TABLE rate_limits (
    tenant_id   text             PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL,
    -- whether the last call that took from the bucket got a token
    granted     boolean          NOT NULL
);
