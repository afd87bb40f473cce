package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.store.SessionRow;
import io.voicecoach.analytics.store.ToolCallRow;

final class ToolCalls {

    /** The call's row in {@code session}, new if neither the call nor its result has arrived yet. */
    static ToolCallRow claim(SessionRow session, String callId) {
        ToolCallRow row = ToolCallRow.findById(callId);
        if (row == null) {
            row = new ToolCallRow();
            row.callId = callId;
            row.tenantId = session.tenantId;
            row.sessionId = session.sessionId;
            row.persist();
        } else if (!row.belongsTo(session.tenantId, session.sessionId)) {
            throw new TenantMismatchException("tool call " + callId + " belongs to another session");
        }
        return row;
    }

    private ToolCalls() {
    }
}
