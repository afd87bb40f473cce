package io.voicecoach.platform.warmup;

import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Runs the service's {@link WarmupStep}s on a virtual thread at start; {@link WarmupReadiness} keeps the instance
 * unready until they ran. A failing step is logged and the others still run: a slower first call is better than no
 * instance.
 */
@ApplicationScoped
public class StartupWarmup {

    private static final Logger LOG = Logger.getLogger(StartupWarmup.class);

    @ConfigMapping(prefix = "voicecoach.warmup")
    public interface Config {
        /** Off: ready without it, and the first calls pay for class loading, JIT and first queries. */
        @WithDefault("true")
        boolean enabled();
    }

    public enum Status { PENDING, DONE, FAILED, OFF }

    private final List<WarmupStep> steps;
    private final boolean enabled;
    private volatile Status status = Status.PENDING;
    private volatile Duration took = Duration.ZERO;

    @Inject
    public StartupWarmup(@All List<WarmupStep> steps, Config config) {
        this(steps, config.enabled());
    }

    StartupWarmup(List<WarmupStep> steps, boolean enabled) {
        this.steps = List.copyOf(steps);
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent started) {
        if (!enabled) {
            status = Status.OFF;
            return;
        }
        Thread.ofVirtual().name("warmup").start(this::run);
    }

    public Status status() {
        return status;
    }

    public Duration took() {
        return took;
    }

    /** Runs every step once, in order; the status is FAILED if any failed. */
    public void run() {
        long start = System.nanoTime();
        boolean failed = false;
        for (var step : steps) {
            long stepStart = System.nanoTime();
            try {
                step.run();
                LOG.infof("warmed up %s in %d ms", step.name(), (System.nanoTime() - stepStart) / 1_000_000);
            } catch (RuntimeException e) {
                failed = true;
                LOG.warnf(e, "warming up %s failed after %d ms; ready all the same, the first calls will be slower",
                        step.name(), (System.nanoTime() - stepStart) / 1_000_000);
            }
        }
        took = Duration.ofNanos(System.nanoTime() - start);
        status = failed ? Status.FAILED : Status.DONE;
    }
}
