package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.tools.customer.CustomerEntity;
import io.voicecoach.tools.privacy.Pii;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * {@code book_appointment {"phone", "service_type", "start", "name"?, "vin"?, "notes"?}}: books the first free bay;
 * a caller not yet a customer is created when a name is given. A taken slot is {@code slot_taken} with alternatives.
 */
@ApplicationScoped
public class BookAppointmentTool implements Tool {

    private static final Logger LOG = Logger.getLogger(BookAppointmentTool.class);
    private static final ToolDefinition DEFINITION = ToolDefinition.load("book_appointment");

    private final CalendarTools tools;
    private final Scheduler scheduler;

    public BookAppointmentTool(CalendarTools tools, Scheduler scheduler) {
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
        var start = CalendarTools.start(calendar, invocation.requiredString("start"));
        var customers = tools.customers();
        String phone = customers.normalise(invocation.requiredString("phone"));
        var customer = customers.byPhone(invocation.tenantId(), phone).orElseGet(() -> {
            String name = invocation.string("name").orElseThrow(() -> ToolException.notFound(
                    "no customer with phone " + phone + "; pass 'name' to register the caller"));
            var created = CustomerEntity.of(invocation.tenantId(), phone, name, null);
            customers.persistAndFlush(created);
            LOG.infof("registered customer %s (%s) for tenant %s", Pii.name(name), Pii.phone(phone), invocation.tenantId());
            return created;
        });
        var appointment = scheduler.book(calendar, type, customer.id, start,
                invocation.string("vin").map(String::toUpperCase).orElse(null), invocation.string("notes").orElse(null));
        LOG.infof("booked %s for %s at %s, tenant %s", type.code(), Pii.phone(phone), appointment.startsAt,
                invocation.tenantId());
        var result = tools.toJson(calendar, appointment);
        result.put("customerId", customer.id.toString());
        result.put("customerName", customer.name);
        return result;
    }
}
