package io.voicecoach.transcription;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.RouteAudit;
import io.voicecoach.transcription.stt.EngineStubsResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deny by default: transcription serves no API of its own, so every route of its OpenAPI document, and any path a
 * future endpoint might take, is refused without a credential; only the operational /q/ endpoints answer.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class) // same resources as the other tests: one application start
class RouteSecurityTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteIsRefusedWithoutACredential() throws Exception {
        var routes = new ArrayList<>(RouteAudit.routes(base));
        for (String path : List.of("/", "/api/v1/transcripts", "/internal/v1/tenants/acme/engines", "/v1/audio",
                "/q/dev-ui")) {
            routes.add(new RouteAudit.Route("GET", path));
            routes.add(new RouteAudit.Route("POST", path));
        }

        assertThat(RouteAudit.admitted(RouteAudit.statuses(base, routes, Map.of()), 401)).isEmpty();
    }

    @Test
    void theOperationalEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
