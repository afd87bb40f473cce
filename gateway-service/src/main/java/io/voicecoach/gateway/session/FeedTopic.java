package io.voicecoach.gateway.session;

import io.voicecoach.events.Topics;

/** The topics whose records reach clients as replayable frames; {@code code} names the topic in a {@link Cursor}. */
public enum FeedTopic {
    SUGGESTIONS('s', Topics.SUGGESTIONS),
    TRANSCRIPTS('t', Topics.TRANSCRIPTS),
    REPLIES('r', Topics.AGENT_REPLIES),
    SPEECH('a', Topics.AGENT_SPEECH);

    private final char code;
    private final String topic;

    FeedTopic(char code, String topic) {
        this.code = code;
        this.topic = topic;
    }

    public char code() {
        return code;
    }

    public String topic() {
        return topic;
    }

    /** The feed of a topic name, null for any other topic. */
    public static FeedTopic ofTopic(String topic) {
        for (var feed : values()) {
            if (feed.topic.equals(topic)) {
                return feed;
            }
        }
        return null;
    }

    static FeedTopic ofCode(char code) {
        for (var feed : values()) {
            if (feed.code == code) {
                return feed;
            }
        }
        return null;
    }
}
