package io.voicecoach.analytics.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.live")
public interface LiveConfig {

    /** A call without any event for this long (by event time) is no longer shown as in progress. */
    @WithDefault("15m")
    Duration idleTimeout();

    /**
     * Interval of the SSE comment that keeps idle connections open and finds closed ones; the scheduled
     * {@code LiveCalls.heartbeat} reads it as {@code ${voicecoach.live.heartbeat}}.
     */
    @WithDefault("15s")
    Duration heartbeat();

    /** Names this instance's live-view consumer groups ({@code analytics-service-live-<topic>-<instance-id>}). */
    @WithDefault("local")
    String instanceId();
}
