package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.security.ServiceCredentials;
import io.voicecoach.platform.testing.RouteAudit;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.AuthenticationTest.SERVICE_TOKEN;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Deny by default: every route of the OpenAPI document (the tenant's client secrets, the credential check other
 * services call, the operator's API), and paths a future endpoint might take, are refused without a credential, and
 * each refuses the credentials of the other kinds. Only the browser page, the operational /q/ endpoints and the two
 * WebSocket upgrade paths (which do their own authentication) answer anyone. A route added without a policy fails
 * here.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class RouteSecurityTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    @Test
    void everyRouteIsRefusedWithoutTheRightCredential() throws Exception {
        var documented = RouteAudit.routes(base);
        assertThat(documented).hasSizeGreaterThanOrEqualTo(10);
        var internal = only(documented, "/internal/");
        var admin = only(documented, "/admin/");
        var tenant = only(documented, "/v1/");
        assertThat(internal).isNotEmpty();
        assertThat(admin).hasSizeGreaterThanOrEqualTo(7);
        assertThat(tenant).isNotEmpty();
        assertThat(internal.size() + admin.size() + tenant.size()).isEqualTo(documented.size());
        var routes = new ArrayList<>(documented);
        for (String path : List.of("/unlisted", "/api/v1/sessions", "/v1/realtime/sessions", "/v1/realtime/calls",
                "/internal/v1/tenants/demo/sessions", "/admin/v2/tenants", "/q/dev-ui", "/index.htm")) {
            routes.add(new RouteAudit.Route("GET", path));
            routes.add(new RouteAudit.Route("POST", path));
        }

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, routes, Map.of()), 401)).isEmpty();
        var tenantKey = Map.of("Authorization", "Bearer " + DEMO_KEY);
        var service = Map.of(ServiceCredentials.HEADER, SERVICE_TOKEN);
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, internal, tenantKey), 403)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, tenant, service), 403)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, admin, tenantKey), 401)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, admin, service), 401)).isEmpty();
    }

    @Test
    void refusalsSayWhichCredentialIsMissing() {
        given().post("/v1/realtime/client_secrets").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("code", equalTo("missing_credentials"));
        given().get("/admin/v1/tenants").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_operator_token"));
        given().header("Authorization", "Bearer " + DEMO_KEY).post("/internal/v1/credentials/verify")
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("forbidden"));
    }

    @Test
    void thePageTheOperationalEndpointsAndTheUpgradePathsAnswerAnyone() {
        given().get("/").then().statusCode(200).body(containsString("<html"));
        for (String file : List.of("/index.html", "/app.js", "/app.css", "/agent-voice.js", "/pcm-capture.js")) {
            given().get(file).then().statusCode(200);
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);

        // the Realtime upgrade reaches its own check (its own wording of the refusal)...
        given().header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .get("/v1/realtime")
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("missing_credentials"))
                .body("detail", equalTo("no credential: send Authorization: Bearer <API key or client secret>"));
        // ...and Twilio's opens without one: its start frame authenticates the stream
        try (var stream = new TwilioClient(websocket(twilio), "CA_route_security")) {
            assertThat(stream.closedByServer()).isFalse();
        }
    }

    private static List<RouteAudit.Route> only(List<RouteAudit.Route> routes, String prefix) {
        return routes.stream().filter(route -> route.path().startsWith(prefix)).toList();
    }
}
