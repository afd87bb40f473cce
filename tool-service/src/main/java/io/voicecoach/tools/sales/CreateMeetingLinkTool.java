package io.voicecoach.tools.sales;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.privacy.Pii;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * {@code create_meeting_link {"title", "start", "duration_minutes"?, "attendee_name"?, "attendee_email"?}}: stores
 * the meeting and answers its join link, {@code voicecoach.tools.meeting-base-url} plus an unguessable room token.
 */
@ApplicationScoped
public class CreateMeetingLinkTool implements Tool {

    private static final Logger LOG = Logger.getLogger(CreateMeetingLinkTool.class);
    private static final ToolDefinition DEFINITION = ToolDefinition.load("create_meeting_link");
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final EntityManager entityManager;
    private final String baseUrl;
    private final SecureRandom random = new SecureRandom();

    public CreateMeetingLinkTool(EntityManager entityManager, ToolsConfig config) {
        this.entityManager = entityManager;
        this.baseUrl = config.meetingBaseUrl().endsWith("/") ? config.meetingBaseUrl() : config.meetingBaseUrl() + "/";
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        OffsetDateTime start;
        try {
            start = OffsetDateTime.parse(invocation.requiredString("start"));
        } catch (DateTimeParseException e) {
            throw ToolException.invalidArguments("argument 'start' must be an ISO date-time with offset, "
                    + "e.g. 2026-03-02T15:00:00Z");
        }
        if (!start.toInstant().isAfter(Instant.now())) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "the start " + start + " is in the past");
        }
        int minutes = invocation.integer("duration_minutes", 30);
        String url = baseUrl + room();
        var id = UUID.randomUUID();
        var email = invocation.string("attendee_email").map(String::toLowerCase).orElse(null);
        entityManager.createNativeQuery("""
                        INSERT INTO meetings (id, tenant_id, title, starts_at, duration_minutes, attendee_name,
                                              attendee_email, url, session_id)
                        VALUES (:id, :tenant, :title, :start, :minutes, :name, :email, :url, :session)
                        """)
                .setParameter("id", id)
                .setParameter("tenant", invocation.tenantId())
                .setParameter("title", invocation.requiredString("title"))
                .setParameter("start", start)
                .setParameter("minutes", minutes)
                .setParameter("name", invocation.string("attendee_name").orElse(null))
                .setParameter("email", email)
                .setParameter("url", url)
                .setParameter("session", invocation.sessionId())
                .executeUpdate();
        LOG.infof("meeting %s at %s for %s, tenant %s", id, start, Pii.email(email), invocation.tenantId());
        var result = EventJson.MAPPER.createObjectNode();
        result.put("meetingId", id.toString());
        result.put("url", url);
        result.put("title", invocation.requiredString("title"));
        result.put("start", start.toString());
        result.put("end", start.plusMinutes(minutes).toString());
        result.put("attendeeEmail", email);
        return result;
    }

    private String room() {
        var token = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i == 4 || i == 8) {
                token.append('-');
            }
            token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }
}
