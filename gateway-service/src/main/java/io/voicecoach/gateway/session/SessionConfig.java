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

    /** Items a session's conversation keeps (for {@code conversation.item.retrieve|delete|truncate}); older go. */
    @WithDefault("200")
    int maxConversationItems();

    /** Characters of item text a session's conversation keeps; the oldest items go first. */
    @WithDefault("64000")
    int maxConversationChars();

    /**
     * How often at most a session's snapshot is written because its conversation changed through the pipeline
     * (replies, transcripts, committed audio); what the client changes itself is written at once.
     */
    @WithDefault("5s")
    Duration conversationSnapshotInterval();
}
