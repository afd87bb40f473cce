package io.voicecoach.gateway.session;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@code capacity} replayable server events of a session (suggestions, transcripts), numbered in the order
 * they were sent, so that a resuming client gets what it missed once and in order. Guarded by the session's lock.
 */
final class ReplayBuffer {

    /** One buffered frame; {@code onWritten} runs once the frame reached the client's socket. */
    record Entry(long number, String eventId, String frame, Runnable onWritten) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long last;

    ReplayBuffer(int capacity) {
        this.capacity = capacity;
    }

    Entry add(String eventId, String frame, Runnable onWritten) {
        var entry = new Entry(++last, eventId, frame, onWritten);
        entries.addLast(entry);
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
        return entry;
    }

    /** The number of the newest entry, 0 when none was ever added. */
    long last() {
        return last;
    }

    /**
     * Entries after the one with {@code lastSeenEventId}; when that id is null or no longer buffered, the entries after
     * number {@code fallback}.
     */
    List<Entry> after(String lastSeenEventId, long fallback) {
        long from = fallback;
        if (lastSeenEventId != null) {
            for (var entry : entries) {
                if (entry.eventId().equals(lastSeenEventId)) {
                    from = entry.number();
                    break;
                }
            }
        }
        long start = from;
        return entries.stream().filter(entry -> entry.number() > start).toList();
    }
}
