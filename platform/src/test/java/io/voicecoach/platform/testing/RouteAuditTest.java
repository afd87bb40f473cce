package io.voicecoach.platform.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit the services' deny-by-default tests run finds a route that a policy opened: here one path is permitted
 * on top of the platform's defaults, and the audit names exactly that route.
 */
@QuarkusTest
@TestProfile(RouteAuditTest.OneRouteOpened.class)
@QuarkusTestResource(GatewayCredentialStub.class)
class RouteAuditTest {

    public static class OneRouteOpened implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.opened.paths", "/unlisted",
                    "quarkus.http.auth.permission.opened.policy", "permit");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void anOpenedRouteIsReported() throws Exception {
        var routes = RouteAudit.routes(base);
        assertThat(routes).extracting(RouteAudit.Route::toString)
                .contains("GET /api/v1/whoami", "POST /api/v1/orders", "GET /internal/v1/ping", "GET /unlisted");

        var admitted = RouteAudit.admitted(RouteAudit.statuses(base, routes, Map.of()), 401);

        assertThat(admitted).containsExactly("GET /unlisted answered 200");
    }
}
