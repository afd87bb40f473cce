package io.voicecoach.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.security.ServiceCredentials;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.platform.testing.RouteAudit;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Deny by default: every route of the OpenAPI document (all of them the tenant API under /api/), and paths a future
 * endpoint might take, are refused without a credential; the tenant routes also refuse the service credential. Only
 * the dashboard's static page and the operational /q/ endpoints answer anyone. A route added without a policy fails
 * here (platform's RouteAuditTest shows the audit catching an opened route).
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class RouteSecurityTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteIsRefusedWithoutTheRightCredential() throws Exception {
        var tenant = RouteAudit.routes(base);
        assertThat(tenant).hasSizeGreaterThanOrEqualTo(6).allMatch(route -> route.path().startsWith("/api/"));
        var routes = new ArrayList<>(tenant);
        for (String path : List.of("/", "/internal/v1/tenants/acme/sessions", "/admin/v1/tenants", "/v1/sessions",
                "/q/dev-ui")) {
            routes.add(new RouteAudit.Route("GET", path));
            routes.add(new RouteAudit.Route("POST", path));
        }

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, routes, Map.of()), 401)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, tenant,
                Map.of(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN)), 403)).isEmpty();
    }

    /** The gateway refuses this service's own credential: its tenants are not told their key is wrong. */
    @Test
    void aRefusedServiceCredentialIsA503ForTheTenantNotA401() {
        String key = GatewayCredentialStub.keyOf("acme-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        GatewayCredentialStub.refuseServiceCredential(true);
        try {
            given().auth().oauth2(key).get("/api/v1/sessions").then().statusCode(503)
                    .contentType("application/problem+json").body("code", equalTo("credentials_unavailable"));
        } finally {
            GatewayCredentialStub.refuseServiceCredential(false);
        }
        given().auth().oauth2(key).get("/api/v1/sessions").then().statusCode(200);
    }

    @Test
    void theDashboardPageAndTheOperationalEndpointsAnswerAnyone() {
        given().get("/dashboard/").then().statusCode(200).body(containsString("<html"));
        given().get("/dashboard/app.js").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
