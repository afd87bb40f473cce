package io.voicecoach.platform.warmup;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StartupWarmupTest {

    private final List<String> ran = new ArrayList<>();

    private WarmupStep step(String name, boolean fails) {
        return new WarmupStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run() {
                ran.add(name);
                if (fails) {
                    throw new IllegalStateException("no broker");
                }
            }
        };
    }

    @Test
    void notReadyUntilEveryStepRanAndAFailingStepNeitherStopsTheOthersNorKeepsTheInstanceUnready() {
        var warmup = new StartupWarmup(List.of(step("codecs", false), step("producers", true), step("audio", false)),
                true);
        var readiness = new WarmupReadiness(warmup);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        warmup.run();
        assertThat(ran).containsExactly("codecs", "producers", "audio");
        assertThat(warmup.status()).isEqualTo(StartupWarmup.Status.FAILED);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void allStepsDoneIsDoneAndOffIsReadyWithoutRunningAnything() {
        var done = new StartupWarmup(List.of(step("codecs", false)), true);
        done.run();
        assertThat(done.status()).isEqualTo(StartupWarmup.Status.DONE);

        var off = new StartupWarmup(List.of(step("never", false)), false);
        off.start(null);
        assertThat(off.status()).isEqualTo(StartupWarmup.Status.OFF);
        assertThat(new WarmupReadiness(off).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ran).containsExactly("codecs");
    }
}
