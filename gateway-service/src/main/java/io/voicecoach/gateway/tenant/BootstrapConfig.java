package io.voicecoach.gateway.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The tenant (and its key) ensured at startup, so a fresh installation can be used at once. */
@ConfigMapping(prefix = "voicecoach.bootstrap")
public interface BootstrapConfig {

    @WithDefault("demo")
    String tenantId();

    @WithDefault("Demo Dealership")
    String tenantName();

    /** Nothing is bootstrapped without it. */
    Optional<String> apiKey();
}
