package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.store.SessionRow;
import io.voicecoach.analytics.store.SuggestionRow;

final class Suggestions {

    /** The suggestion's row in {@code session}, new if neither it nor its receipt has arrived yet. */
    static SuggestionRow claim(SessionRow session, String suggestionId) {
        SuggestionRow row = SuggestionRow.findById(suggestionId);
        if (row == null) {
            row = new SuggestionRow();
            row.suggestionId = suggestionId;
            row.tenantId = session.tenantId;
            row.sessionId = session.sessionId;
            row.persist();
        } else if (!row.belongsTo(session.tenantId, session.sessionId)) {
            throw new TenantMismatchException("suggestion " + suggestionId + " belongs to another session");
        }
        return row;
    }

    private Suggestions() {
    }
}
