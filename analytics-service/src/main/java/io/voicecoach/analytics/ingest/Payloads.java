package io.voicecoach.analytics.ingest;

import io.voicecoach.events.InvalidEventException;

final class Payloads {

    static <T> T required(T value, String field, String type) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new InvalidEventException(type + " without " + field);
        }
        return value;
    }

    private Payloads() {
    }
}
