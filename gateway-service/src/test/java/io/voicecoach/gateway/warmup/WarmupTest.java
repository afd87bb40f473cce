package io.voicecoach.gateway.warmup;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.gateway.realtime.ClientEvent;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import jakarta.inject.Inject;
import io.voicecoach.platform.warmup.StartupWarmup;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** The start-up warm-up of the Realtime path runs before the instance is ready. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class WarmupTest {

    @Inject
    GatewayWarmup realtimePath;

    @Inject
    StartupWarmup warmup;

    @Test
    void readinessReportsTheWarmUpWhichPreparedEveryRealtimeEventType() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'warmed-up' }.data.status", equalTo("DONE"))
                .body("checks.find { it.name == 'warmed-up' }.data.tookMs", greaterThan(0)));
        assertThat(warmup.status()).isEqualTo(StartupWarmup.Status.DONE);
        long declared = java.util.stream.Stream.of(ClientEvent.class, ServerEvent.class)
                .mapToLong(root -> java.util.Arrays.stream(root.getAnnotation(JsonSubTypes.class).value())
                        .map(JsonSubTypes.Type::value).distinct().count()).sum();
        assertThat((long) RealtimeJson.prepareEveryType()).isEqualTo(declared).isGreaterThan(40);
        realtimePath.run();
    }
}
