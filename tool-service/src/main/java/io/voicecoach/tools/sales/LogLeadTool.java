package io.voicecoach.tools.sales;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.phone.PhoneNumbers;
import io.voicecoach.tools.privacy.Pii;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * {@code log_lead {"name", "email"?, "phone"?, ...}}: records a qualified lead, updating the tenant's lead with the
 * same email (or, when no email is known, the same phone) instead of adding a duplicate. Given fields overwrite,
 * absent ones are kept.
 */
@ApplicationScoped
public class LogLeadTool implements Tool {

    private static final Logger LOG = Logger.getLogger(LogLeadTool.class);
    private static final ToolDefinition DEFINITION = ToolDefinition.load("log_lead");
    private static final List<String> FIELDS = List.of("company", "interest", "budget", "timeline", "notes");

    private final EntityManager entityManager;
    private final PhoneNumbers phones;

    public LogLeadTool(EntityManager entityManager, PhoneNumbers phones) {
        this.entityManager = entityManager;
        this.phones = phones;
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        String email = invocation.string("email").map(String::toLowerCase).orElse(null);
        String phone = invocation.string("phone").map(p -> phones.toE164(p).orElseThrow(() ->
                ToolException.invalidArguments("argument 'phone' is not a phone number"))).orElse(null);
        if (email == null && phone == null) {
            throw ToolException.invalidArguments("give the lead's email or phone");
        }
        String tenant = invocation.tenantId();
        var existing = email != null
                ? ids("SELECT id FROM leads WHERE tenant_id = :tenant AND email = :key FOR UPDATE", tenant, email)
                : ids("SELECT id FROM leads WHERE tenant_id = :tenant AND email IS NULL AND phone = :key FOR UPDATE",
                tenant, phone);
        UUID id = existing.isEmpty() ? UUID.randomUUID() : existing.getFirst();
        if (existing.isEmpty()) {
            var insert = entityManager.createNativeQuery("""
                            INSERT INTO leads (id, tenant_id, name, email, phone, company, interest, budget, timeline,
                                               notes, session_id)
                            VALUES (:id, :tenant, :name, :email, :phone, :company, :interest, :budget, :timeline,
                                    :notes, :session)
                            """)
                    .setParameter("id", id).setParameter("tenant", tenant)
                    .setParameter("name", invocation.requiredString("name"))
                    .setParameter("email", email).setParameter("phone", phone)
                    .setParameter("session", invocation.sessionId());
            FIELDS.forEach(f -> insert.setParameter(f, invocation.string(f).orElse(null)));
            insert.executeUpdate();
        } else {
            var update = entityManager.createNativeQuery("""
                            UPDATE leads SET name = :name, phone = COALESCE(:phone, phone),
                                   company = COALESCE(:company, company), interest = COALESCE(:interest, interest),
                                   budget = COALESCE(:budget, budget), timeline = COALESCE(:timeline, timeline),
                                   notes = COALESCE(:notes, notes), session_id = :session, updated_at = now()
                             WHERE tenant_id = :tenant AND id = :id
                            """)
                    .setParameter("id", id).setParameter("tenant", tenant)
                    .setParameter("name", invocation.requiredString("name"))
                    .setParameter("phone", phone)
                    .setParameter("session", invocation.sessionId());
            FIELDS.forEach(f -> update.setParameter(f, invocation.string(f).orElse(null)));
            update.executeUpdate();
        }
        LOG.infof("lead %s %s (%s, %s) for tenant %s", id, existing.isEmpty() ? "logged" : "updated",
                Pii.name(invocation.requiredString("name")), Pii.email(email), tenant);
        var result = EventJson.MAPPER.createObjectNode();
        result.put("leadId", id.toString());
        result.put("created", existing.isEmpty());
        return result;
    }

    private List<UUID> ids(String sql, String tenant, String key) {
        List<?> rows = entityManager.createNativeQuery(sql)
                .setParameter("tenant", tenant).setParameter("key", key).getResultList();
        return rows.stream().map(r -> r instanceof UUID u ? u : UUID.fromString(r.toString())).toList();
    }
}
