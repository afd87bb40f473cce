package io.voicecoach.tools;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calls.ToolCallHandler;
import io.voicecoach.tools.registry.TenantTools;
import io.voicecoach.tools.seed.DemoSeeder;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.voicecoach.tools.Calls.error;
import static io.voicecoach.tools.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** The tenant-scoped registry API, and that one tenant can neither see nor call nor touch another's tools or data. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class RegistryApiTest {

    private static final String DEMO_KEY = GatewayCredentialStub.keyOf("demo");
    private static final String OTHER_KEY = GatewayCredentialStub.keyOf("other");
    private static final String SAAS_KEY = GatewayCredentialStub.keyOf("saas-demo");

    private static final String PROBLEM = "application/problem+json";

    @Inject
    ToolCallHandler handler;

    @Inject
    DemoSeeder seeder;

    @Inject
    TenantTools tenantTools;

    private Calls calls;

    @BeforeEach
    void calls() {
        calls = new Calls(handler);
    }

    @Test
    void listsTheTenantsEnabledToolsAsOpenAiFunctions() {
        var functions = given().auth().oauth2(DEMO_KEY).get("/api/v1/tools").then()
                .statusCode(200).contentType("application/json")
                .body("type", everyItem("function"))
                .body("function.name", hasItems("get_battle_card", "lookup_customer", "get_available_slots",
                        "book_appointment", "get_upcoming_appointments", "cancel_appointment",
                        "reschedule_appointment", "decode_vin", "create_meeting_link", "log_lead"))
                .extract().jsonPath();
        List<String> names = functions.getList("function.name");
        assertThat(names).isSorted();
        assertThat(functions.getString("find { it.function.name == 'get_battle_card' }.function.parameters.type"))
                .isEqualTo("object");
        assertThat(functions.getList("find { it.function.name == 'get_battle_card' }.function.parameters.required"))
                .containsExactly("category");
        assertThat(functions.getString("find { it.function.name == 'decode_vin' }.function.description")).isNotBlank();

        // the SaaS demo has no dealership tools
        given().auth().oauth2(SAAS_KEY).get("/api/v1/tools").then().statusCode(200)
                .body("function.name", hasItems("log_lead", "create_meeting_link", "get_battle_card"))
                .body("function.name", not(hasItem("book_appointment")));
    }

    @Test
    void theInternalListGivesTheVoiceAgentTheTenantsEnabledToolsInChatCompletionsFormat() {
        var demo = Calls.asService().get("/internal/v1/tenants/demo/tools").then()
                .statusCode(200).contentType("application/json")
                .body("tools.type", everyItem("function"))
                .body("tools.function.name", hasItems("lookup_customer", "book_appointment", "decode_vin"))
                .extract().jsonPath();
        assertThat(demo.getList("tools.function.name", String.class)).isSorted();
        assertThat(demo.getMap("tools.find { it.function.name == 'book_appointment' }.function.parameters"))
                .containsEntry("type", "object").containsKey("properties").containsKey("required");
        assertThat(demo.getString("tools.find { it.function.name == 'lookup_customer' }.function.description"))
                .isNotBlank();
        // the same definitions the tenant sees over its REST API
        var rest = given().auth().oauth2(DEMO_KEY).get("/api/v1/tools").then().statusCode(200)
                .extract().jsonPath();
        assertThat(demo.getList("tools.function.name")).isEqualTo(rest.getList("function.name"));

        // per tenant: the SaaS demo has no dealership tools, a tool one tenant disables stays in another's list
        Calls.asService().get("/internal/v1/tenants/saas-demo/tools").then().statusCode(200)
                .body("tools.function.name", hasItem("log_lead"))
                .body("tools.function.name", not(hasItem("book_appointment")));
        String tenant = "internal-" + java.util.UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> tenantTools.set(tenant, "log_lead", false));
        Calls.asService().get("/internal/v1/tenants/" + tenant + "/tools").then().statusCode(200)
                .body("tools.function.name", hasItem("decode_vin"))
                .body("tools.function.name", not(hasItem("log_lead")));
        Calls.asService().get("/internal/v1/tenants/demo/tools").then().statusCode(200)
                .body("tools.function.name", hasItem("log_lead"));
    }

    @Test
    void aTenantDisablesAToolWithoutAffectingOtherTenants() {
        given().auth().oauth2(OTHER_KEY).contentType("application/json").body("{\"enabled\": false}")
                .patch("/api/v1/tools/decode_vin").then().statusCode(200)
                .body("name", equalTo("decode_vin")).body("enabled", equalTo(false))
                .body("parameters.properties.vin.type", equalTo("string"));
        try {
            given().auth().oauth2(OTHER_KEY).get("/api/v1/tools").then().statusCode(200)
                    .body("function.name", not(hasItem("decode_vin")));
            var refused = error(calls.call("other", "decode_vin", "{\"vin\": \"1HGCM82633A004352\"}"), "unknown_tool");
            assertThat(refused.error().message().substring(refused.error().message().indexOf("available:")))
                    .contains("lookup_customer").doesNotContain("decode_vin");

            // tenant demo still sees and calls it
            given().auth().oauth2(DEMO_KEY).get("/api/v1/tools").then().statusCode(200)
                    .body("function.name", hasItem("decode_vin"));
            given().auth().oauth2(DEMO_KEY).get("/api/v1/tools/decode_vin").then().statusCode(200)
                    .body("enabled", equalTo(true));
            ok(calls.call("demo", "decode_vin", "{\"vin\": \"1HGCM82633A004352\"}"));
        } finally {
            given().auth().oauth2(OTHER_KEY).contentType("application/json").body("{\"enabled\": true}")
                    .patch("/api/v1/tools/decode_vin").then().statusCode(200).body("enabled", equalTo(true));
        }
        ok(calls.call("other", "decode_vin", "{\"vin\": \"1HGCM82633A004352\"}"));
    }

    @Test
    void aTenantCannotReadOrChangeAnotherTenantsCustomersOrAppointments() {
        // tenant demo's customer and a fresh booking of theirs
        var booked = ok(calls.call("demo", "book_appointment", "{\"phone\": \"+16175550104\", \"service_type\": "
                + "\"tire_rotation\", \"start\": \"" + Calls.weekday(5, DayOfWeek.FRIDAY) + "T11:00\"}"));
        String id = booked.path("appointmentId").asText();

        // a tenant with a calendar of its own still sees nothing of demo's
        String other = Calls.calendarTenant(seeder, "isolated", 1);
        assertThat(ok(calls.call(other, "lookup_customer", "{\"phone\": \"+16175550104\"}")).path("found").asBoolean()).isFalse();
        error(calls.call(other, "get_upcoming_appointments", "{\"phone\": \"+16175550104\"}"), "not_found");
        error(calls.call(other, "cancel_appointment", "{\"appointment_id\": \"" + id + "\"}"), "not_found");
        error(calls.call(other, "reschedule_appointment", "{\"appointment_id\": \"" + id + "\", \"start\": \""
                + Calls.weekday(5, DayOfWeek.FRIDAY) + "T12:00\"}"), "not_found");
        // demo's booked bay does not reduce the other tenant's capacity
        var day = Calls.weekday(5, DayOfWeek.FRIDAY);
        var slots = ok(calls.call(other, "get_available_slots", "{\"service_type\": \"oil_change\", \"from_date\": \""
                + day + "\", \"to_date\": \"" + day + "\", \"limit\": 50}"));
        assertThat(slots.path("slots")).hasSize(20);

        var untouched = ok(calls.call("demo", "get_upcoming_appointments", "{\"phone\": \"+16175550104\"}"));
        assertThat(untouched.path("appointments").findValuesAsText("appointmentId")).contains(id);
        assertThat(untouched.path("appointments").findValuesAsText("status")).containsOnly("booked");

        // a tenant without a calendar is told so, not shown demo's
        error(calls.call("other", "get_available_slots", "{\"service_type\": \"oil_change\"}"), "not_found");
    }

    @Test
    void badRequestsAreProblemDocuments() {
        given().get("/api/v1/tools").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer").body("detail", containsString("missing API key"));
        given().auth().oauth2("key-nobody").get("/api/v1/tools").then().statusCode(401).contentType(PROBLEM)
                .body("detail", equalTo("invalid API key"));
        given().auth().oauth2(GatewayCredentialStub.BROKEN_KEY).get("/api/v1/tools").then().statusCode(503)
                .contentType(PROBLEM);
        given().auth().oauth2(DEMO_KEY).get("/api/v1/tools/get_weather").then().statusCode(404)
                .contentType(PROBLEM).body("detail", containsString("get_weather"));
        given().auth().oauth2(DEMO_KEY).contentType("application/json").body("{\"enabled\": ")
                .patch("/api/v1/tools/decode_vin").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(DEMO_KEY).contentType("application/json").body("{}")
                .patch("/api/v1/tools/decode_vin").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("enabled"));
        given().auth().oauth2(DEMO_KEY).get("/api/v1/tools").then().statusCode(200);
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyItem(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }
}
