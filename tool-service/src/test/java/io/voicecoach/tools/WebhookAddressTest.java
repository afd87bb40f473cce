package io.voicecoach.tools;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calls.ToolCallHandler;
import io.voicecoach.tools.WebhookReceiver.Answer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.voicecoach.tools.Calls.error;
import static io.voicecoach.tools.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The address a webhook's host resolved to when it was checked is the one connected to; internal ranges are refused. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class WebhookAddressTest {

    private final String tenant = "dns-" + UUID.randomUUID();

    @Inject
    ToolCallHandler handler;

    @Inject
    ScriptedHostResolver dns;

    @AfterEach
    void forget() {
        dns.forget("localhost");
        dns.forget("cgnat.example.com");
        dns.forget("nat64.example.com");
    }

    @Test
    void theCallGoesToTheAddressThatWasCheckedWithoutASecondLookup() throws Exception {
        // the receiver listens on 127.0.0.2 only; "localhost" resolves there once, then (rebinding) elsewhere
        try (var receiver = new WebhookReceiver("127.0.0.2")) {
            dns.script("localhost", "127.0.0.2", "127.0.0.3");
            receiver.secret(register("http://localhost:" + receiver.port() + "/hook", "pinned"));
            receiver.script(Answer.ok("{\"reached\": true}"));

            var result = new Calls(handler).call(tenant, "pinned", "{}");

            assertThat(ok(result).path("reached").asBoolean()).isTrue();
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().getFirst().header("Host")).isEqualTo("localhost:" + receiver.port());
            assertThat(dns.lookups("localhost")).as("lookups of the endpoint's host").isEqualTo(1);
        }
    }

    @Test
    void hostsResolvingIntoCarrierGradeNatOrNat64AreRefusedBeforeAnyConnection() {
        dns.script("cgnat.example.com", "100.64.12.34");
        dns.script("nat64.example.com", "64:ff9b::a00:1");
        register("https://cgnat.example.com/hook", "cgnat");
        register("https://nat64.example.com/hook", "nat64");

        for (String tool : new String[]{"cgnat", "nat64"}) {
            var refused = error(new Calls(handler).call(tenant, tool, "{}"), "webhook_failed");
            assertThat(refused.result().path("reason").asText()).as(tool).isEqualTo("endpoint_refused");
            assertThat(refused.result().path("attempts").asInt()).as(tool).isZero();
        }
    }

    private String register(String url, String name) {
        return given().auth().oauth2(GatewayCredentialStub.keyOf(tenant)).contentType("application/json")
                .body("{\"name\": \"" + name + "\", \"description\": \"d\", \"parameters\": {\"type\": \"object\"},"
                        + " \"webhook\": {\"url\": \"" + url + "\", \"timeoutMs\": 2000}}")
                .post("/api/v1/tools").then().statusCode(201).extract().path("signingSecret");
    }
}
