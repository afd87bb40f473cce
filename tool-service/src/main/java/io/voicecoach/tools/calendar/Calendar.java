package io.voicecoach.tools.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's bookable week: its time zone, slot length, opening hours per weekday (closed days absent), bays (each
 * takes one appointment at a time) and service types.
 */
public record Calendar(String tenantId, ZoneId zone, int slotMinutes, Map<DayOfWeek, Hours> hours,
                       List<String> bays, Map<String, ServiceType> serviceTypes) {

    public record Hours(LocalTime opens, LocalTime closes) {
    }

    public record ServiceType(String code, String name, int durationMinutes) {
        public Duration duration() {
            return Duration.ofMinutes(durationMinutes);
        }
    }

    public Duration slot() {
        return Duration.ofMinutes(slotMinutes);
    }

    public Optional<Hours> hoursOn(DayOfWeek day) {
        return Optional.ofNullable(hours.get(day));
    }
}
