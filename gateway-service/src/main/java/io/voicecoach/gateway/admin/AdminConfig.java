package io.voicecoach.gateway.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "voicecoach.admin")
public interface AdminConfig {

    /**
     * The operator credential for {@code /admin/v1}: the token itself, or {@code sha256:<hex>} of it so the raw token
     * need not sit in the configuration. Absent: the admin API answers 404.
     */
    Optional<String> token();

    /** How long a rotated key keeps working when the rotation names no {@code grace_seconds}; 0 = revoked at once. */
    @WithDefault("24h")
    Duration keyRotationGrace();
}
