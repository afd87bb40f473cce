package io.voicecoach.coaching.warmup;

import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.ConfigStub;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupReadinessTest {

    @Test
    void notReadyWhileTheWarmUpIsPendingReadyOnceItRanOrFailedOrIsOff() {
        var warmup = new Warmup(null, null, null, ConfigStub.of(CoachingConfig.class, Map.of()));
        var readiness = new WarmupReadiness(warmup);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        warmup.run(); // no collaborators: the first scratch call fails, and the instance is ready all the same
        assertThat(warmup.status()).isEqualTo(Warmup.Status.FAILED);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        var off = new Warmup(null, null, null, ConfigStub.of(CoachingConfig.class,
                Map.of("warmup", Map.of("enabled", false))));
        off.start(null);
        assertThat(new WarmupReadiness(off).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(new WarmupReadiness(off).call().getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("status", "OFF"));
    }
}
