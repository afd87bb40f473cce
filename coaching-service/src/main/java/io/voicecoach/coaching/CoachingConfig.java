package io.voicecoach.coaching;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.coaching")
public interface CoachingConfig {

    /** Classpath resource holding the playbook; a malformed one fails start-up. */
    @WithDefault("playbooks/default.json")
    String playbook();

    /** How long an objection waits for tool-service's battle card before the suggestion goes out without one. */
    @WithDefault("400ms")
    Duration battleCardWait();

    /** How many transcript event ids are remembered to drop redeliveries. */
    @WithDefault("10000")
    int dedupCapacity();

    /** How many sessions keep an outgoing sequence counter; the least recently used is dropped first. */
    @WithDefault("10000")
    int sessionCapacity();
}
