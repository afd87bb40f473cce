package io.voicecoach.coaching.api;

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
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Deny by default: every route of the service's OpenAPI document is refused without a credential, the internal ones
 * also with a tenant's key, the tenant ones also with the service credential. A route added without a policy fails
 * here (platform's RouteAuditTest shows the audit catching an opened route).
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class RouteSecurityTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteIsRefusedWithoutTheRightCredential() throws Exception {
        var routes = RouteAudit.routes(base);
        var internal = routes.stream().filter(route -> route.path().startsWith("/internal/")).toList();
        var tenant = routes.stream().filter(route -> !route.path().startsWith("/internal/")).toList();
        assertThat(internal).extracting(RouteAudit.Route::toString)
                .containsExactly("GET /internal/v1/tenants/{tenantId}/kb/search");
        assertThat(tenant).hasSizeGreaterThanOrEqualTo(11).allMatch(route -> route.path().startsWith("/api/"));

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, routes, Map.of()), 401)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, internal,
                Map.of("Authorization", "Bearer " + GatewayCredentialStub.keyOf("alpha"))), 403)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, tenant,
                Map.of(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN)), 403)).isEmpty();
    }

    @Test
    void theKnowledgeSearchAnswersAServiceWithTheCredential() {
        given().header(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN)
                .queryParam("q", "anything").get("/internal/v1/tenants/nobody-here/kb/search")
                .then().statusCode(200).body("results.size()", equalTo(0));
        given().header(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN)
                .queryParam("q", "anything").queryParam("k", 11).get("/internal/v1/tenants/t/kb/search")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].path", equalTo("k"));
    }
}
