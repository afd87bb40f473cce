package io.voicecoach.gateway.session;

/**
 * The Realtime conversation of a session as the gateway tracks it: the chain of items ({@code previous_item_id}) and
 * the voice agent's reply in progress. Items are added on the connection's thread, one frame at a time.
 */
public final class Conversation {

    private volatile String lastItemId;
    private volatile String activeResponseId;

    Conversation(String lastItemId) {
        this.lastItemId = lastItemId;
    }

    public String lastItemId() {
        return lastItemId;
    }

    /** Appends an item; returns the one before it (its {@code previous_item_id}), null for the first. */
    public String append(String itemId) {
        String previous = lastItemId;
        lastItemId = itemId;
        return previous;
    }

    /** The voice agent's reply in progress ({@code response.create}, {@code agent.response.created}), or null. */
    public String activeResponseId() {
        return activeResponseId;
    }

    public void responseActive(String responseId) {
        this.activeResponseId = responseId;
    }

    /** Forgets the active reply if it is {@code responseId}. */
    public void responseEnded(String responseId) {
        if (responseId != null && responseId.equals(activeResponseId)) {
            activeResponseId = null;
        }
    }
}
