package io.voicecoach.tools;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calls.ToolCallHandler;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.voicecoach.tools.Calls.error;
import static io.voicecoach.tools.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The AI SDR tools against the seeded demo SaaS company (tenant {@code saas-demo}). */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class SalesToolsTest {

    private static final String SAAS = "saas-demo";

    @Inject
    ToolCallHandler handler;

    @Inject
    EntityManager entityManager;

    private Calls calls;

    @BeforeEach
    void calls() {
        calls = new Calls(handler);
    }

    @Test
    void createMeetingLinkStoresTheMeetingAndAnswersAUniqueLink() {
        var start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).truncatedTo(ChronoUnit.HOURS).withMinute(0).withSecond(0);
        String startText = start.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        var first = ok(calls.call(SAAS, "create_meeting_link", "{\"title\": \"Demo for Acme\", \"start\": \"" + startText
                + "\", \"duration_minutes\": 45, \"attendee_name\": \"Priya Raman\", \"attendee_email\": \"Priya@Acme-Logistics.example\"}"));
        assertThat(first.path("url").asText()).matches("https://meet\\.voicecoach\\.example/[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}");
        assertThat(OffsetDateTime.parse(first.path("end").asText())).isEqualTo(start.plusMinutes(45));
        assertThat(first.path("attendeeEmail").asText()).isEqualTo("priya@acme-logistics.example");
        var second = ok(calls.call(SAAS, "create_meeting_link", "{\"title\": \"Follow-up\", \"start\": \"" + startText + "\"}"));
        assertThat(second.path("url").asText()).isNotEqualTo(first.path("url").asText());
        assertThat(OffsetDateTime.parse(second.path("end").asText())).isEqualTo(start.plusMinutes(30));

        long stored = QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                        "SELECT count(*) FROM meetings WHERE tenant_id = :t AND url = :u")
                .setParameter("t", SAAS).setParameter("u", first.path("url").asText()).getSingleResult()).longValue());
        assertThat(stored).isEqualTo(1);

        error(calls.call(SAAS, "create_meeting_link", "{\"title\": \"Old\", \"start\": \"2020-01-01T10:00:00Z\"}"), "not_allowed");
        var bad = error(calls.call(SAAS, "create_meeting_link", "{\"title\": \"\", \"start\": \"tomorrow\", "
                + "\"attendee_email\": \"not-an-email\"}"), "invalid_arguments");
        assertThat(bad.result().path("violations").findValuesAsText("path"))
                .containsExactlyInAnyOrder("/title", "/start", "/attendee_email");
    }

    /** Found by ToolFuzzTest: a NUL char in an argument failed the tool's INSERT, and the call was not recorded. */
    @Test
    void anArgumentWithANulCharIsStoredWithAReplacementChar() {
        String start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.HOURS)
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        var meeting = ok(calls.call(SAAS, "create_meeting_link", "{\"title\": \"Demo\\u0000 call\", \"start\": \""
                + start + "\"}"));
        assertThat(meeting.path("title").asText()).isEqualTo("Demo\ufffd call");
    }

    @Test
    void logLeadCreatesThenUpdatesTheSameLead() {
        String email = "lead-" + UUID.randomUUID() + "@initrode.example";
        var created = ok(calls.call(SAAS, "log_lead", "{\"name\": \"Bill Lumbergh\", \"company\": \"Initrode\", "
                + "\"email\": \"" + email.toUpperCase() + "\", \"interest\": \"Enterprise plan\", \"timeline\": \"next quarter\"}"));
        assertThat(created.path("created").asBoolean()).isTrue();
        var updated = ok(calls.call(SAAS, "log_lead", "{\"name\": \"Bill Lumbergh\", \"email\": \"" + email
                + "\", \"budget\": \"$50k\", \"phone\": \"(415) 555-0123\"}"));
        assertThat(updated.path("created").asBoolean()).isFalse();
        assertThat(updated.path("leadId").asText()).isEqualTo(created.path("leadId").asText());

        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) entityManager.createNativeQuery(
                        "SELECT company, interest, budget, phone, timeline FROM leads WHERE tenant_id = :t AND email = :e")
                .setParameter("t", SAAS).setParameter("e", email).getSingleResult());
        assertThat(row).containsExactly("Initrode", "Enterprise plan", "$50k", "+14155550123", "next quarter");

        assertThat(error(calls.call(SAAS, "log_lead", "{\"name\": \"Anonymous\"}"), "invalid_arguments")
                .error().message()).contains("email or phone");
    }

    @Test
    void theSaasDemoHasNoDealershipTools() {
        var result = error(calls.call(SAAS, "book_appointment", "{\"phone\": \"+14155550201\", \"service_type\": "
                + "\"oil_change\", \"start\": \"2030-01-08T09:00\"}"), "unknown_tool");
        assertThat(result.error().message()).contains("log_lead", "create_meeting_link").doesNotContain("decode_vin");
        assertThat(ok(calls.call(SAAS, "lookup_customer", "{\"phone\": \"+14155550201\"}")).path("customer")
                .path("name").asText()).isEqualTo("Priya Raman");
        assertThat(ok(calls.call(SAAS, "get_battle_card", "{\"category\": \"price\"}")).path("category").asText())
                .isEqualTo("price");
    }
}
