package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.customer.CustomerEntity;
import io.voicecoach.tools.customer.Customers;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** What the calendar tools share: the tenant's calendar, start times, appointment and customer look-ups. */
@ApplicationScoped
public class CalendarTools {

    private final Calendars calendars;
    private final Appointments appointments;
    private final Customers customers;

    public CalendarTools(Calendars calendars, Appointments appointments, Customers customers) {
        this.calendars = calendars;
        this.appointments = appointments;
        this.customers = customers;
    }

    public Calendar calendar(ToolInvocation invocation) {
        return calendars.of(invocation.tenantId()).orElseThrow(() ->
                ToolException.notFound("this business has no appointment calendar"));
    }

    /** ISO date-time with an offset, or a local one read in the calendar's time zone. */
    public static ZonedDateTime start(Calendar calendar, String text) {
        try {
            return OffsetDateTime.parse(text).atZoneSameInstant(calendar.zone());
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(calendar.zone());
            } catch (DateTimeParseException e2) {
                throw ToolException.invalidArguments("argument 'start' must be an ISO date-time such as "
                        + "2026-03-02T09:30 (business time zone) or 2026-03-02T09:30:00-05:00, got '" + text + "'");
            }
        }
    }

    /** A booked or cancelled appointment of the tenant, else not_found. */
    public AppointmentEntity appointment(ToolInvocation invocation) {
        UUID id = UUID.fromString(invocation.requiredString("appointment_id"));
        return appointments.byId(invocation.tenantId(), id).orElseThrow(() ->
                ToolException.notFound("no appointment " + id));
    }

    public CustomerEntity customerByPhone(ToolInvocation invocation) {
        String phone = customers.normalise(invocation.requiredString("phone"));
        return customers.byPhone(invocation.tenantId(), phone).orElseThrow(() ->
                ToolException.notFound("no customer with phone " + phone));
    }

    public Customers customers() {
        return customers;
    }

    public Appointments appointments() {
        return appointments;
    }

    public ObjectNode toJson(Calendar calendar, AppointmentEntity appointment) {
        var json = EventJson.MAPPER.createObjectNode();
        var type = calendar.serviceTypes().get(appointment.serviceType);
        json.put("appointmentId", appointment.id.toString());
        json.put("status", appointment.status);
        json.put("serviceType", appointment.serviceType);
        json.put("serviceName", type == null ? appointment.serviceType : type.name());
        json.put("start", appointment.startsAt.atZone(calendar.zone()).toOffsetDateTime().toString());
        json.put("end", appointment.endsAt.atZone(calendar.zone()).toOffsetDateTime().toString());
        json.put("bay", appointment.bayId);
        json.put("vin", appointment.vin);
        return json;
    }
}
