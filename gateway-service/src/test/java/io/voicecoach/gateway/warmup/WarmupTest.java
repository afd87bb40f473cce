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
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** The start-up warm-up runs before the instance is ready; a failed one does not keep it unready. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class WarmupTest {

    @Inject
    Warmup warmup;

    @Test
    void readinessReportsTheWarmUpWhichPreparedEveryRealtimeEventType() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'warmed-up' }.data.status", equalTo("DONE"))
                .body("checks.find { it.name == 'warmed-up' }.data.tookMs", greaterThan(0)));
        long declared = java.util.stream.Stream.of(ClientEvent.class, ServerEvent.class)
                .mapToLong(root -> java.util.Arrays.stream(root.getAnnotation(JsonSubTypes.class).value())
                        .map(JsonSubTypes.Type::value).distinct().count()).sum();
        assertThat((long) RealtimeJson.prepareEveryType()).isEqualTo(declared).isGreaterThan(40);
        warmup.run();
        assertThat(warmup.status()).isEqualTo(Warmup.Status.DONE);
    }

    @Test
    void notReadyWhilePendingAndReadyOnceItFailedOrIsOff() {
        var pending = new Warmup(new Config(true), null, null);
        assertThat(new WarmupReadiness(pending).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        pending.run(); // no voice activity engine: the audio round fails
        assertThat(pending.status()).isEqualTo(Warmup.Status.FAILED);
        assertThat(new WarmupReadiness(pending).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        var off = new Warmup(new Config(false), null, null);
        off.start(null);
        assertThat(off.status()).isEqualTo(Warmup.Status.OFF);
        assertThat(new WarmupReadiness(off).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private record Config(boolean enabled) implements WarmupConfig {
        @Override
        public int rounds() {
            return 1;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(1);
        }
    }
}
