package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.customer.CustomerEntity;
import io.voicecoach.tools.customer.Customers;
import io.voicecoach.tools.privacy.Pii;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The dealership's calendar tools, in one shape: a {@link CalendarTool} is its definition
 * ({@code tools/<name>.json}) and a body that runs with the tenant's {@link Calendar} (a tenant without one gets
 * {@code not_found}). Each is a {@link Tool} bean, produced here.
 */
@ApplicationScoped
public class CalendarTools {

    private static final Logger LOG = Logger.getLogger(CalendarTools.class);
    static final int MAX_DAYS = 31;

    /** A calendar tool: the registry validates the arguments against the definition before the body runs. */
    record CalendarTool(ToolDefinition definition, Body body, Calendars calendars) implements Tool {

        interface Body {
            JsonNode run(Calendar calendar, ToolInvocation invocation);
        }

        @Override
        public JsonNode run(ToolInvocation invocation) {
            var calendar = calendars.of(invocation.tenantId()).orElseThrow(() ->
                    ToolException.notFound("this business has no appointment calendar"));
            return body.run(calendar, invocation);
        }
    }

    private final Calendars calendars;
    private final Appointments appointments;
    private final Customers customers;
    private final Scheduler scheduler;

    public CalendarTools(Calendars calendars, Appointments appointments, Customers customers, Scheduler scheduler) {
        this.calendars = calendars;
        this.appointments = appointments;
        this.customers = customers;
        this.scheduler = scheduler;
    }

    @Produces
    @Singleton
    Tool availableSlots() {
        return tool("get_available_slots", this::availableSlots);
    }

    @Produces
    @Singleton
    Tool bookAppointment() {
        return tool("book_appointment", this::book);
    }

    @Produces
    @Singleton
    Tool upcomingAppointments() {
        return tool("get_upcoming_appointments", this::upcoming);
    }

    @Produces
    @Singleton
    Tool cancelAppointment() {
        return tool("cancel_appointment", this::cancel);
    }

    @Produces
    @Singleton
    Tool rescheduleAppointment() {
        return tool("reschedule_appointment", this::reschedule);
    }

    private Tool tool(String name, CalendarTool.Body body) {
        return new CalendarTool(ToolDefinition.load(name), body, calendars);
    }

    /** {@code get_available_slots {"service_type", "from_date"?, "to_date"?, "limit"?}}: free starts, earliest first. */
    private JsonNode availableSlots(Calendar calendar, ToolInvocation invocation) {
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

    /**
     * {@code book_appointment {"phone", "service_type", "start", "name"?, "vin"?, "notes"?}}: books the first free
     * bay; a caller not yet a customer is created when a name is given. A taken slot is {@code slot_taken} with
     * alternatives.
     */
    private JsonNode book(Calendar calendar, ToolInvocation invocation) {
        var type = scheduler.serviceType(calendar, invocation.requiredString("service_type"));
        var start = start(calendar, invocation.requiredString("start"));
        String phone = customers.normalise(invocation.requiredString("phone"));
        var customer = customers.byPhone(invocation.tenantId(), phone).orElseGet(() -> {
            String name = invocation.string("name").orElseThrow(() -> ToolException.notFound(
                    "no customer with phone " + phone + "; pass 'name' to register the caller"));
            var created = CustomerEntity.of(invocation.tenantId(), phone, name, null);
            customers.persistAndFlush(created);
            LOG.infof("registered customer %s (%s) for tenant %s", Pii.name(name), Pii.phone(phone),
                    invocation.tenantId());
            return created;
        });
        var appointment = scheduler.book(calendar, type, customer.id, start,
                invocation.string("vin").map(String::toUpperCase).orElse(null),
                invocation.string("notes").orElse(null));
        LOG.infof("booked %s for %s at %s, tenant %s", type.code(), Pii.phone(phone), appointment.startsAt,
                invocation.tenantId());
        var result = toJson(calendar, appointment);
        result.put("customerId", customer.id.toString());
        result.put("customerName", customer.name);
        return result;
    }

    /** {@code get_upcoming_appointments {"phone", "limit"?}}: the customer's booked appointments not yet ended. */
    private JsonNode upcoming(Calendar calendar, ToolInvocation invocation) {
        String phone = customers.normalise(invocation.requiredString("phone"));
        var customer = customers.byPhone(invocation.tenantId(), phone).orElseThrow(() ->
                ToolException.notFound("no customer with phone " + phone));
        var result = EventJson.MAPPER.createObjectNode();
        result.put("customerId", customer.id.toString());
        result.put("customerName", customer.name);
        var array = result.putArray("appointments");
        appointments.upcoming(invocation.tenantId(), customer.id, scheduler.now(), invocation.integer("limit", 5))
                .forEach(a -> array.add(toJson(calendar, a)));
        return result;
    }

    /** {@code cancel_appointment {"appointment_id", "reason"?}}: frees the bay; cancelling twice answers the same. */
    private JsonNode cancel(Calendar calendar, ToolInvocation invocation) {
        var appointment = appointment(invocation);
        if (AppointmentEntity.BOOKED.equals(appointment.status)) {
            if (!appointment.startsAt.isAfter(scheduler.now())) {
                throw new ToolException(ToolErrors.NOT_ALLOWED, "the appointment has already started");
            }
            invocation.string("reason").ifPresent(reason -> appointment.notes = appointment.notes == null
                    ? "cancelled: " + reason : appointment.notes + "\ncancelled: " + reason);
            scheduler.cancel(appointment);
        }
        return toJson(calendar, appointment);
    }

    /**
     * {@code reschedule_appointment {"appointment_id", "start"}}: moves a booked appointment; when the new slot is
     * taken the appointment keeps its old one and the answer is {@code slot_taken} with alternatives.
     */
    private JsonNode reschedule(Calendar calendar, ToolInvocation invocation) {
        var appointment = appointment(invocation);
        if (!AppointmentEntity.BOOKED.equals(appointment.status)) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "the appointment is cancelled; book a new one");
        }
        if (!appointment.startsAt.isAfter(scheduler.now())) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "the appointment has already started");
        }
        var start = start(calendar, invocation.requiredString("start"));
        return toJson(calendar, scheduler.reschedule(calendar, appointment, start));
    }

    /** ISO date-time with an offset, or a local one read in the calendar's time zone. */
    static ZonedDateTime start(Calendar calendar, String text) {
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
    private AppointmentEntity appointment(ToolInvocation invocation) {
        UUID id = UUID.fromString(invocation.requiredString("appointment_id"));
        return appointments.byId(invocation.tenantId(), id).orElseThrow(() ->
                ToolException.notFound("no appointment " + id));
    }

    private static ObjectNode toJson(Calendar calendar, AppointmentEntity appointment) {
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
