package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code reschedule_appointment {"appointment_id", "start"}}: moves a booked appointment; when the new slot is taken
 * the appointment keeps its old one and the answer is {@code slot_taken} with alternatives.
 */
@ApplicationScoped
public class RescheduleAppointmentTool implements Tool {

    private static final ToolDefinition DEFINITION = ToolDefinition.load("reschedule_appointment");

    private final CalendarTools tools;
    private final Scheduler scheduler;

    public RescheduleAppointmentTool(CalendarTools tools, Scheduler scheduler) {
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
        if (!AppointmentEntity.BOOKED.equals(appointment.status)) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "the appointment is cancelled; book a new one");
        }
        if (!appointment.startsAt.isAfter(scheduler.now())) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "the appointment has already started");
        }
        var start = CalendarTools.start(calendar, invocation.requiredString("start"));
        return tools.toJson(calendar, scheduler.reschedule(calendar, appointment, start));
    }
}
