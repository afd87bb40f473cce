package io.voicecoach.gateway.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.session")
public interface SessionConfig {

    /**
     * How long a session whose connection dropped (or whose instance died or drained) waits for its client to resume
     * it before it ends.
     */
    @WithDefault("30s")
    Duration resumeWindow();

    /**
     * A resume may reach any instance, which rebuilds the session from {@code gateway.sessions} and replays what the
     * client missed from Kafka. {@code false} (diagnostic): only the instance holding the session resumes it, as
     * before failover existed.
     */
    @WithDefault("true")
    boolean failover();

    /**
     * How far before a resume cursor's newest record the replay reads to rebuild what the client already has (which
     * suggestions a later battle card belongs to, partial transcript text, the reply in progress).
     */
    @WithDefault("60s")
    Duration replayLookback();

    /** A session's records are looked for from this long before it opened (producer clocks may differ). */
    @WithDefault("10s")
    Duration replayClockSkew();

    /** Kafka readers that replay resumed sessions at once; more resumes wait for one. */
    @WithDefault("2")
    int replayReaders();
}
