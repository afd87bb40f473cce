package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** {@code get_available_slots {"service_type", "from_date"?, "to_date"?, "limit"?}}: free start times, earliest first. */
@ApplicationScoped
public class GetAvailableSlotsTool implements Tool {

    static final int MAX_DAYS = 31;
    private static final ToolDefinition DEFINITION = ToolDefinition.load("get_available_slots");

    private final CalendarTools tools;
    private final Scheduler scheduler;

    public GetAvailableSlotsTool(CalendarTools tools, Scheduler scheduler) {
        this.tools = tools;
        this.scheduler = scheduler;
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        var calendar = tools.calendar(invocation);
        var type = scheduler.serviceType(calendar, invocation.requiredString("service_type"));
        LocalDate today = LocalDate.ofInstant(scheduler.now(), calendar.zone());
        LocalDate from = invocation.string("from_date").map(LocalDate::parse).orElse(today);
        LocalDate to = invocation.string("to_date").map(LocalDate::parse).orElse(from.plusDays(6));
        if (to.isBefore(from)) {
            throw ToolException.invalidArguments("argument 'to_date' is before 'from_date'");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ToolException.invalidArguments("ask for at most " + MAX_DAYS + " days at a time");
        }
        var slots = scheduler.available(calendar, type, from.isBefore(today) ? today : from, to,
                invocation.integer("limit", 10));
        var result = EventJson.MAPPER.createObjectNode();
        result.put("serviceType", type.code());
        result.put("serviceName", type.name());
        result.put("durationMinutes", type.durationMinutes());
        result.put("timezone", calendar.zone().getId());
        var array = result.putArray("slots");
        slots.forEach(s -> array.add(s.toJson()));
        return result;
    }
}
