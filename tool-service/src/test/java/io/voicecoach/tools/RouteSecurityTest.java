package io.voicecoach.tools;

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
import static org.hamcrest.Matchers.hasItem;

/**
 * Deny by default: every route of the OpenAPI document, and paths a future endpoint might take, are refused without
 * a credential; the internal tool list also refuses a tenant's key, the tenant routes also refuse the service
 * credential. A route added without a policy fails here (platform's RouteAuditTest shows the audit catching an opened
 * route).
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class RouteSecurityTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteIsRefusedWithoutTheRightCredential() throws Exception {
        var routes = RouteAudit.routes(base);
        var internal = routes.stream().filter(route -> route.path().startsWith("/internal/")).toList();
        var tenant = routes.stream().filter(route -> !route.path().startsWith("/internal/")).toList();
        assertThat(internal).extracting(RouteAudit.Route::toString)
                .containsExactly("GET /internal/v1/tenants/{tenantId}/tools");
        assertThat(tenant).hasSizeGreaterThanOrEqualTo(7).allMatch(route -> route.path().startsWith("/api/"));
        var probes = new ArrayList<>(routes);
        for (String path : List.of("/", "/admin/v1/tenants", "/v1/tools", "/internal/v1/tenants/acme/calls",
                "/q/dev-ui")) {
            probes.add(new RouteAudit.Route("GET", path));
            probes.add(new RouteAudit.Route("POST", path));
        }

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, probes, Map.of()), 401)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, internal,
                Map.of("Authorization", "Bearer " + GatewayCredentialStub.keyOf("acme"))), 403)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, tenant,
                Map.of(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN)), 403)).isEmpty();
    }

    @Test
    void theToolListAnswersAServiceWithTheCredentialAndTheOperationalEndpointsAnyone() {
        Calls.asService().get("/internal/v1/tenants/demo/tools").then().statusCode(200)
                .body("tools.function.name", hasItem("get_battle_card"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
