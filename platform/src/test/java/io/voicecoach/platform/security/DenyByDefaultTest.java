package io.voicecoach.platform.security;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.platform.testing.RouteAudit;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With the platform's defaults alone, every route of the OpenAPI document is refused without a credential. */
@QuarkusTest
@QuarkusTestResource(GatewayCredentialStub.class)
class DenyByDefaultTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteIsRefusedWithoutACredential() throws Exception {
        var routes = RouteAudit.routes(base);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(5);

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, routes, Map.of()), 401)).isEmpty();
    }

    @Test
    void internalRoutesRefuseTenantsAndTenantRoutesRefuseServices() throws Exception {
        var routes = RouteAudit.routes(base);
        var internal = routes.stream().filter(route -> route.path().startsWith("/internal/")).toList();
        var other = routes.stream().filter(route -> !route.path().startsWith("/internal/")).toList();

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, internal, Map.of("Authorization", "Bearer key-acme")),
                403)).isEmpty();
        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, other,
                Map.of(ServiceCredentials.HEADER, GatewayCredentialStub.SERVICE_TOKEN)), 403)).isEmpty();
    }
}
