package io.voicecoach.platform.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the warm-up ran (or failed: a failed warm-up makes the first calls slower, not impossible). */
@Readiness
@ApplicationScoped
public class WarmupReadiness implements HealthCheck {

    public static final String NAME = "warmed-up";

    private final StartupWarmup warmup;

    public WarmupReadiness(StartupWarmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public HealthCheckResponse call() {
        var status = warmup.status();
        return HealthCheckResponse.named(NAME).status(status != StartupWarmup.Status.PENDING)
                .withData("status", status.name()).withData("tookMs", warmup.took().toMillis()).build();
    }
}
