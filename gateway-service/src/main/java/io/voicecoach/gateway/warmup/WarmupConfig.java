package io.voicecoach.gateway.warmup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The start-up warm-up ({@link Warmup}): the instance reports ready once it ran. */
@ConfigMapping(prefix = "voicecoach.warmup")
public interface WarmupConfig {

    /** Off: ready without it, and the first calls pay for class loading, JIT and the producers' first metadata. */
    @WithDefault("true")
    boolean enabled();

    /** Rounds of the scratch work (client frames, a suggestion frame, envelopes, three seconds of audio). */
    @WithDefault("20")
    int rounds();

    /** How long each producer's first metadata fetch may take. */
    @WithDefault("10s")
    Duration timeout();
}
