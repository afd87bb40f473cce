package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code cancel_appointment {"appointment_id", "reason"?}}: frees the bay; cancelling twice answers the same. */
@ApplicationScoped
public class CancelAppointmentTool implements Tool {

    private static final ToolDefinition DEFINITION = ToolDefinition.load("cancel_appointment");

    private final CalendarTools tools;
    private final Scheduler scheduler;

    public CancelAppointmentTool(CalendarTools tools, Scheduler scheduler) {
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
        var appointment = tools.appointment(invocation);
        if (AppointmentEntity.BOOKED.equals(appointment.status)) {
            if (!appointment.startsAt.isAfter(scheduler.now())) {
                throw new ToolException(ToolErrors.NOT_ALLOWED, "the appointment has already started");
            }
            invocation.string("reason").ifPresent(reason -> appointment.notes = appointment.notes == null
                    ? "cancelled: " + reason : appointment.notes + "\ncancelled: " + reason);
            scheduler.cancel(appointment);
        }
        return tools.toJson(calendar, appointment);
    }
}
