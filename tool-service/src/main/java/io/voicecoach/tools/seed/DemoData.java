package io.voicecoach.tools.seed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A demo tenant's CRM and calendar, as kept in {@code seed/*.json}; every section is optional. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record DemoData(CalendarSeed calendar, List<HoursSeed> hours, List<BaySeed> bays,
                       List<ServiceTypeSeed> serviceTypes, List<CustomerSeed> customers,
                       List<AppointmentSeed> appointments, List<LeadSeed> leads, List<String> disabledTools) {

    @RegisterForReflection
    public record CalendarSeed(String timezone, int slotMinutes) {
    }

    @RegisterForReflection
    public record HoursSeed(int weekday, String opens, String closes) {
    }

    @RegisterForReflection
    public record BaySeed(String id, String name) {
    }

    @RegisterForReflection
    public record ServiceTypeSeed(String code, String name, int durationMinutes) {
    }

    @RegisterForReflection
    public record CustomerSeed(String name, String phone, String email, JsonNode vehicles) {
    }

    /** Booked {@code daysAhead} days from the seeding day (the next open day if closed) at {@code time}. */
    @RegisterForReflection
    public record AppointmentSeed(String phone, String serviceType, int daysAhead, String time, String vin) {
    }

    @RegisterForReflection
    public record LeadSeed(String name, String company, String email, String phone, String interest, String budget,
                           String timeline) {
    }

    public static DemoData load(String resource) {
        try (var in = DemoData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application");
            }
            return EventJson.MAPPER.readValue(in, DemoData.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
