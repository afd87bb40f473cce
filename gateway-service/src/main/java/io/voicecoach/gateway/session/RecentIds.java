package io.voicecoach.gateway.session;

import java.util.LinkedHashSet;

/** The last {@code capacity} ids seen; drops redelivered events and suggestions. */
final class RecentIds {

    private final int capacity;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    RecentIds(int capacity) {
        this.capacity = capacity;
    }

    synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    /** True the first time an id is seen (while it is among the recent ones). */
    synchronized boolean firstTime(String id) {
        if (!ids.add(id)) {
            return false;
        }
        if (ids.size() > capacity) {
            ids.removeFirst();
        }
        return true;
    }
}
