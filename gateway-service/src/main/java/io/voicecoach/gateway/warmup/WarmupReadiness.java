package io.voicecoach.gateway.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the warm-up ran (or failed: a failed warm-up makes the first calls slower, not impossible). */
@Readiness
@ApplicationScoped
public class WarmupReadiness implements HealthCheck {

    public static final String NAME = "warmed-up";

    private final Warmup warmup;

    public WarmupReadiness(Warmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public HealthCheckResponse call() {
        var status = warmup.status();
        return HealthCheckResponse.named(NAME).status(status != Warmup.Status.PENDING)
                .withData("status", status.name()).withData("tookMs", warmup.took().toMillis()).build();
    }
}
