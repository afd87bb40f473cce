package io.voicecoach.analytics.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/** Column values of native queries, whatever Java type the driver and Hibernate chose. */
final class Rows {

    static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + value.getClass());
        };
    }

    static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    static Double decimal(Object value, int decimals) {
        if (value == null) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(((Number) value).doubleValue() * scale) / scale;
    }

    private Rows() {
    }
}
