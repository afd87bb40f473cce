package io.voicecoach.tools.customer;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.privacy.Pii;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * {@code lookup_customer {"phone"}}: the tenant's customer with that number (normalised to E.164) and their
 * vehicles, or {@code {"found": false}}.
 */
@ApplicationScoped
public class LookupCustomerTool implements Tool {

    private static final Logger LOG = Logger.getLogger(LookupCustomerTool.class);
    private static final ToolDefinition DEFINITION = ToolDefinition.load("lookup_customer");

    private final Customers customers;

    public LookupCustomerTool(Customers customers) {
        this.customers = customers;
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        String phone = customers.normalise(invocation.requiredString("phone"));
        var customer = customers.byPhone(invocation.tenantId(), phone);
        LOG.debugf("lookup_customer %s for tenant %s: %s", Pii.phone(phone), invocation.tenantId(),
                customer.isPresent() ? "found" : "not found");
        var result = EventJson.MAPPER.createObjectNode();
        result.put("found", customer.isPresent());
        if (customer.isPresent()) {
            result.set("customer", customer.get().toJson());
        } else {
            result.put("phone", phone);
        }
        return result;
    }
}
