package io.voicecoach.gateway.session;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A resume position, carried as the {@code event_id} of every replayable frame: for each Kafka partition that fed the
 * connection, the offset of the last record delivered, and the newest record timestamp among them. A record that
 * brings several frames (an item's lifecycle) gives all but its last frame a partial position: the record's offset
 * plus how many of its frames the client had then, so a resume delivers the rest of that record.
 * <p>
 * Text form: {@code evt_c<timestamp>} then {@code _<topic code><partition>.<offset>} per partition, numbers in base 36,
 * topic codes {@code s} (coach.suggestions), {@code t} (voice.transcripts), {@code r} (agent.replies), {@code a} (agent.speech); the partially
 * delivered partition's part ends in {@code ~<frames>}; e.g. {@code evt_cmix5q3k0_s2.1b_t2.f} or
 * {@code evt_cmix5q3k0_r1.9~2}. Anything else (an id of a non-replayable frame, a garbled value) is no cursor.
 *
 * @param timestamp     epoch ms of the newest record delivered, 0 when nothing was
 * @param positions     partition key ({@link #partitionKey}) -> offset of the last record delivered from it
 * @param partialKey    the partition whose last record was delivered only in part, null when none was
 * @param partialFrames how many frames of that record were delivered (at least 1)
 */
public record Cursor(long timestamp, Map<String, Long> positions, String partialKey, int partialFrames) {

    public static final Cursor EMPTY = new Cursor(0, Map.of());
    static final String PREFIX = "evt_c";
    private static final int MAX_PARTITIONS = 64;
    private static final char PARTIAL = '~';

    public Cursor {
        positions = Collections.unmodifiableMap(new TreeMap<>(positions));
        if (partialKey != null && (!positions.containsKey(partialKey) || partialFrames < 1)) {
            throw new IllegalArgumentException("a partial position names a delivered partition and a frame count");
        }
        if (partialKey == null) {
            partialFrames = 0;
        }
    }

    public Cursor(long timestamp, Map<String, Long> positions) {
        this(timestamp, positions, null, 0);
    }

    public static String partitionKey(FeedTopic feed, int partition) {
        return feed.code() + Integer.toString(partition);
    }

    /** The offset of the last record delivered (maybe in part) from the partition, null when none was. */
    public Long offset(FeedTopic feed, int partition) {
        return positions.get(partitionKey(feed, partition));
    }

    /** True when the partition's record at {@link #offset} was delivered only in part. */
    public boolean partial(FeedTopic feed, int partition) {
        return partitionKey(feed, partition).equals(partialKey);
    }

    /** This position with the record at {@code key} delivered up to frame {@code frames}. */
    Cursor partialAt(String key, int frames) {
        return new Cursor(timestamp, positions, key, frames);
    }

    public String encode() {
        return encode(timestamp, positions, partialKey, partialFrames);
    }

    static String encode(long timestamp, Map<String, Long> positions, String partialKey, int partialFrames) {
        var id = new StringBuilder(PREFIX.length() + 12 + positions.size() * 10).append(PREFIX)
                .append(Long.toString(timestamp, 36));
        positions.forEach((key, offset) -> {
            id.append('_').append(key).append('.').append(Long.toString(offset, 36));
            if (key.equals(partialKey)) {
                id.append(PARTIAL).append(Integer.toString(partialFrames, 36));
            }
        });
        return id.toString();
    }

    /** The cursor in an {@code event_id}; empty when the text is not one. */
    public static Optional<Cursor> parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() > 2048) {
            return Optional.empty();
        }
        var parts = text.substring(PREFIX.length()).split("_", -1);
        if (parts.length - 1 > MAX_PARTITIONS) {
            return Optional.empty();
        }
        try {
            long timestamp = Long.parseLong(parts[0], 36);
            var positions = new TreeMap<String, Long>();
            String partialKey = null;
            int partialFrames = 0;
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i];
                int dot = part.indexOf('.');
                if (dot < 2 || FeedTopic.ofCode(part.charAt(0)) == null) {
                    return Optional.empty();
                }
                int partition = Integer.parseInt(part.substring(1, dot));
                int tilde = part.indexOf(PARTIAL, dot);
                long offset = Long.parseLong(tilde < 0 ? part.substring(dot + 1) : part.substring(dot + 1, tilde), 36);
                if (partition < 0 || offset < 0 || timestamp < 0) {
                    return Optional.empty();
                }
                String key = partitionKey(FeedTopic.ofCode(part.charAt(0)), partition);
                if (tilde >= 0) {
                    partialFrames = Integer.parseInt(part.substring(tilde + 1), 36);
                    if (partialKey != null || partialFrames < 1) {
                        return Optional.empty();
                    }
                    partialKey = key;
                }
                positions.put(key, offset);
            }
            return Optional.of(new Cursor(timestamp, positions, partialKey, partialFrames));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static FeedTopic feedOf(String partitionKey) {
        return FeedTopic.ofCode(partitionKey.charAt(0));
    }

    public static int partitionOf(String partitionKey) {
        return Integer.parseInt(partitionKey.substring(1));
    }
}
