package io.voicecoach.analytics.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.metrics")
public interface MetricsConfig {

    /** Same-speaker utterances separated by less than this silence count as one monologue. */
    @WithDefault("2s")
    Duration monologueGap();

    /** An objection counts as addressed only if the rep starts speaking within this long after it. */
    @WithDefault("10s")
    Duration objectionResponseWindow();

    default MetricsSettings settings() {
        return new MetricsSettings(monologueGap().toMillis(), objectionResponseWindow().toMillis());
    }
}
