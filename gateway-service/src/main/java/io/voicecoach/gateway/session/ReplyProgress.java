package io.voicecoach.gateway.session;

import io.voicecoach.gateway.realtime.ServerEvent.Item;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one client stream has been shown of the voice agent's replies in progress: each response's output items in
 * order (their {@code output_index}), the text streamed into each so far and whether it is done. Part of a
 * {@link ClientStream}, so a resume rebuilds it from the records it replays; guarded by the session's lock.
 */
public final class ReplyProgress {

    private static final int MAX_RESPONSES = 16;

    /** One output item of a response. */
    public static final class Output {
        private final String itemId;
        private final StringBuilder text = new StringBuilder();
        private Item item;
        private boolean done;

        Output(String itemId, Item item) {
            this.itemId = itemId;
            this.item = item;
        }

        public String itemId() {
            return itemId;
        }

        public String text() {
            return text.toString();
        }

        public Item item() {
            return item;
        }

        public boolean done() {
            return done;
        }
    }

    private final Map<String, List<Output>> responses = new LinkedHashMap<>();

    /** The response's outputs so far (a response not seen yet starts now). */
    public List<Output> outputs(String responseId) {
        var outputs = responses.get(responseId);
        if (outputs == null) {
            if (responses.size() >= MAX_RESPONSES) {
                responses.remove(responses.keySet().iterator().next());
            }
            outputs = new ArrayList<>();
            responses.put(responseId, outputs);
        }
        return outputs;
    }

    /** The {@code output_index} of the item, -1 when the client has not been shown it. */
    public int indexOf(String responseId, String itemId) {
        var outputs = outputs(responseId);
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).itemId.equals(itemId)) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code output_index} of the item, -1 when the client has not been shown it or its response ended. */
    public int find(String responseId, String itemId) {
        var outputs = responses.getOrDefault(responseId, List.of());
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).itemId.equals(itemId)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds an output item (as the client is shown it being added); returns its index. */
    public int add(String responseId, Item item) {
        var outputs = outputs(responseId);
        outputs.add(new Output(item.id(), item));
        return outputs.size() - 1;
    }

    public Output output(String responseId, int index) {
        return outputs(responseId).get(index);
    }

    public void appendText(String responseId, int index, String delta) {
        output(responseId, index).text.append(delta);
    }

    /** The item is complete as {@code item}. */
    public void done(String responseId, int index, Item item) {
        var output = output(responseId, index);
        output.item = item;
        output.done = true;
    }

    /** The response ended: its outputs, and it is forgotten. */
    public List<Output> end(String responseId) {
        var outputs = outputs(responseId);
        responses.remove(responseId);
        return outputs;
    }
}
