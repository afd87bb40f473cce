package io.voicecoach.gateway.session;

/**
 * Where a fan-out record sits: its topic's partition and offset, and the record's timestamp (epoch ms).
 */
public record RecordPosition(FeedTopic feed, int partition, long offset, long timestamp) {

    /** The partition's name in a {@link Cursor}, e.g. {@code s2} for partition 2 of {@code coach.suggestions}. */
    public String partitionKey() {
        return Cursor.partitionKey(feed, partition);
    }
}
