package io.voicecoach.gateway.session;

import io.voicecoach.gateway.realtime.ServerEvent.Item;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The Realtime conversation of a session as the gateway keeps it: its items in order (what
 * {@code conversation.item.retrieve|delete|truncate} act on and {@code previous_item_id} names) and the voice agent's
 * reply in progress. Bounded: past {@code maxItems} items or {@code maxChars} characters of text the oldest items are
 * forgotten. Items come from the client's frames and from fan-out records (replies, transcripts), on different threads:
 * every method takes this object's lock. Adding an item that is already there changes nothing but its content, so a
 * replay may apply a record twice.
 */
public final class Conversation {

    /** {@code previous_item_id} of an item placed at the start. */
    public static final String ROOT = "root";

    private final int maxItems;
    private final int maxChars;
    private final ArrayList<Item> items;
    /**
     * The item before the first one kept: one the bound forgot, or the last item of a session restored from a snapshot
     * that kept no items; null at the start of the conversation.
     */
    private String beforeFirst;
    private String activeResponseId;
    private boolean changed;
    private long snapshotAtNanos = System.nanoTime();

    Conversation(List<Item> items, String lastItemId, int maxItems, int maxChars) {
        this.items = new ArrayList<>(items);
        this.beforeFirst = items.isEmpty() ? lastItemId : null;
        this.maxItems = maxItems;
        this.maxChars = maxChars;
    }

    /** The id of the last item, null for an empty conversation. */
    public synchronized String lastItemId() {
        return items.isEmpty() ? beforeFirst : items.getLast().id();
    }

    /** Appends an item; returns its {@code previous_item_id}. */
    public String append(Item item) {
        return add(item, null);
    }

    /**
     * Adds {@code item} after {@code previousItemId} ({@link #ROOT}: first; null: last), or, when an item with its id
     * is here already, replaces that one where it stands.
     *
     * @return the id of the item before it, null when it is the first
     * @throws IllegalArgumentException when {@code previousItemId} names no item here
     */
    public synchronized String add(Item item, String previousItemId) {
        int at = indexOf(item.id());
        if (at >= 0) {
            items.set(at, item);
        } else {
            at = position(previousItemId);
            if (at == 0 && ROOT.equals(previousItemId)) {
                beforeFirst = null;
            }
            items.add(at, item);
            at = bound(at);
        }
        changed = true;
        return previousOf(at);
    }

    /** True when {@code previousItemId} can be named as the place of a new item. */
    public synchronized boolean canPlaceAfter(String previousItemId) {
        return previousItemId == null || ROOT.equals(previousItemId) || indexOf(previousItemId) >= 0;
    }

    private int position(String previousItemId) {
        if (previousItemId == null) {
            return items.size();
        }
        if (ROOT.equals(previousItemId)) {
            return 0;
        }
        int previous = indexOf(previousItemId);
        if (previous < 0) {
            throw new IllegalArgumentException("no item " + previousItemId);
        }
        return previous + 1;
    }

    /** Changes the item {@code id} if it is here; returns the changed item. */
    public synchronized Optional<Item> update(String id, UnaryOperator<Item> change) {
        int at = indexOf(id);
        if (at < 0) {
            return Optional.empty();
        }
        var changedItem = change.apply(items.get(at));
        items.set(at, changedItem);
        changed = true;
        return Optional.of(changedItem);
    }

    public synchronized Optional<Item> find(String id) {
        int at = indexOf(id);
        return at < 0 ? Optional.empty() : Optional.of(items.get(at));
    }

    /** The {@code previous_item_id} of the item {@code id} (null for the first); empty when it is not here. */
    public synchronized Optional<String> previousOf(String id) {
        int at = indexOf(id);
        return at < 0 ? Optional.empty() : Optional.ofNullable(previousOf(at));
    }

    /** Removes the item; false when it is not here. */
    public synchronized boolean delete(String id) {
        int at = indexOf(id);
        if (at < 0) {
            return false;
        }
        items.remove(at);
        changed = true;
        return true;
    }

    /** The items, oldest first (what a snapshot keeps). */
    public synchronized List<Item> items() {
        return List.copyOf(items);
    }

    /**
     * True (and the change counted as written) when items changed since the snapshot last written for them and that
     * was at least {@code intervalNanos} ago.
     */
    public synchronized boolean snapshotDue(long nowNanos, long intervalNanos) {
        if (!changed || nowNanos - snapshotAtNanos < intervalNanos) {
            return false;
        }
        changed = false;
        snapshotAtNanos = nowNanos;
        return true;
    }

    private String previousOf(int index) {
        return index > 0 ? items.get(index - 1).id() : beforeFirst;
    }

    /** Forgets the oldest items (never the one at {@code keep}) while over the bound; returns where {@code keep} is. */
    private int bound(int keep) {
        int chars = 0;
        for (var item : items) {
            chars += item.textLength();
        }
        while (items.size() > 1 && (items.size() > maxItems || chars > maxChars)) {
            int oldest = keep == 0 ? 1 : 0;
            var forgotten = items.remove(oldest);
            chars -= forgotten.textLength();
            if (oldest == 0) {
                beforeFirst = forgotten.id();
                keep--;
            }
        }
        return keep;
    }

    private int indexOf(String id) {
        if (id == null) {
            return -1;
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** The voice agent's reply in progress ({@code response.create}, {@code agent.response.created}), or null. */
    public synchronized String activeResponseId() {
        return activeResponseId;
    }

    public synchronized void responseActive(String responseId) {
        this.activeResponseId = responseId;
    }

    /** Forgets the active reply if it is {@code responseId}. */
    public synchronized void responseEnded(String responseId) {
        if (responseId != null && responseId.equals(activeResponseId)) {
            activeResponseId = null;
        }
    }
}
