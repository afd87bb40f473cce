package io.voicecoach.tools;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

@ConfigMapping(prefix = "voicecoach.tools")
public interface ToolsConfig {

    /** Tenant that gets the demo battle cards at start when it has none; unset = no seeding. */
    Optional<String> seedTenant();
}
