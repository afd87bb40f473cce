package io.voicecoach.analytics.api;

import jakarta.ws.rs.BadRequestException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Position after the last session of a page: its time and id (the list's sort key). Opaque to clients: base64url
 * of {@code <instant>|<sessionId>}, which may change without notice.
 */
record Cursor(Instant at, String sessionId) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at + "|" + sessionId).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar > 0 && bar < text.length() - 1) {
                return new Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // answered below
        }
        throw new BadRequestException("cursor is not one this service handed out");
    }
}
