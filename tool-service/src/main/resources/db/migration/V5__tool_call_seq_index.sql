-- Claiming a call numbers its result after the session's highest seq: with seq in the index that is one index
-- probe instead of reading every earlier call of the session. Supersedes the (tenant_id, session_id) index.
CREATE INDEX tool_calls_tenant_session_seq_idx ON tool_calls (tenant_id, session_id, seq);
DROP INDEX tool_calls_tenant_session_idx;
