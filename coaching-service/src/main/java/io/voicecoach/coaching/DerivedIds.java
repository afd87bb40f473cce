package io.voicecoach.coaching;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids derived from the triggering transcript event, so a transcript redelivered after a crash produces the same
 * tool call and suggestion ids and downstream de-duplication hides the repeat.
 */
public final class DerivedIds {

    public static UUID of(String purpose, UUID sourceEventId) {
        return UUID.nameUUIDFromBytes((purpose + ":" + sourceEventId).getBytes(StandardCharsets.UTF_8));
    }

    private DerivedIds() {
    }
}
