package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code get_upcoming_appointments {"phone", "limit"?}}: the customer's booked appointments that have not ended. */
@ApplicationScoped
public class GetUpcomingAppointmentsTool implements Tool {

    private static final ToolDefinition DEFINITION = ToolDefinition.load("get_upcoming_appointments");

    private final CalendarTools tools;
    private final Scheduler scheduler;

    public GetUpcomingAppointmentsTool(CalendarTools tools, Scheduler scheduler) {
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
        var customer = tools.customerByPhone(invocation);
        var result = EventJson.MAPPER.createObjectNode();
        result.put("customerId", customer.id.toString());
        result.put("customerName", customer.name);
        var array = result.putArray("appointments");
        tools.appointments().upcoming(invocation.tenantId(), customer.id, scheduler.now(), invocation.integer("limit", 5))
                .forEach(a -> array.add(tools.toJson(calendar, a)));
        return result;
    }
}
