package io.voicecoach.analytics.api;

import jakarta.ws.rs.BadRequestException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Which sessions a list, export or aggregate covers. Sessions are placed in time by {@code startedAt} (or, not
 * started yet, when analytics first saw them). {@code from} is inclusive, {@code to} exclusive; a date
 * ({@code 2026-11-22}) means that UTC day: as {@code from} its start, as {@code to} its end (the day is included).
 */
public record SessionFilter(String rep, String team, String outcome, Instant from, Instant to, String objection) {

    private static final int MAX_TEXT = 200;

    public SessionFilter(String rep, Instant from, Instant to, String objection) {
        this(rep, null, null, from, to, objection);
    }

    public static SessionFilter parse(String rep, String from, String to, String objection) {
        return parse(rep, null, null, from, to, objection);
    }

    public static SessionFilter parse(String rep, String team, String outcome, String from, String to,
                                      String objection) {
        var filter = new SessionFilter(text("rep", rep), text("team", team), text("outcome", outcome),
                instant("from", from, false), instant("to", to, true), text("objection", objection));
        if (filter.from != null && filter.to != null && !filter.from.isBefore(filter.to)) {
            throw new BadRequestException("from must be before to");
        }
        return filter;
    }

    public SessionFilter withDefaultRange(Instant defaultFrom, Instant defaultTo) {
        return new SessionFilter(rep, team, outcome, from == null ? defaultFrom : from, to == null ? defaultTo : to, objection);
    }

    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_TEXT) {
            throw new BadRequestException(name + " must be 1 to " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                var day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be a date (2026-11-22) or an ISO-8601 instant (2026-11-22T09:30:00Z)");
        }
    }
}
