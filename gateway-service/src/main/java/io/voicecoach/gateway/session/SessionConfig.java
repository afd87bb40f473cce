package io.voicecoach.gateway.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.session")
public interface SessionConfig {

    /** How long a session whose connection dropped waits for its client to resume it before it ends. */
    @WithDefault("30s")
    Duration resumeWindow();

    /** Suggestion and transcript events kept per session for a resuming client (the oldest are dropped). */
    @WithDefault("256")
    int replayBufferEvents();
}
