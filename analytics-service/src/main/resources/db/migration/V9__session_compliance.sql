-- The call's compliance checklist (coaching.compliance_checklist: items [{ruleId, kind, status, message, withinMs,
-- utteranceId}], closed), the latest one coaching sent; the end-of-call one (closed) once the call ended. On the
-- session's row, so it shares the row's tenant and goes with it on erasure.
ALTER TABLE sessions ADD COLUMN compliance jsonb;
