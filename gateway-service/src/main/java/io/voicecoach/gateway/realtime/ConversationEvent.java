package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.stream.Collectors;

/** The {@code conversation.item.*} client events. */
@RegisterForReflection
public sealed interface ConversationEvent extends ClientEvent {

    /** {@code conversation.item.create}: a user message of typed text, on track {@code voicecoach.track}. */
    record ItemCreate(String eventId, Item item, TrackOption voicecoach) implements ConversationEvent {
        public ItemCreate {
            if (item == null) {
                throw RealtimeError.invalidEvent("conversation.item.create needs an item object", "item");
            }
        }
    }

    /** A {@code message} item of the {@code user}; {@code id} may be chosen by the client. */
    record Item(String id, String type, String role, List<InputText> content) {
        public Item {
            if (!"message".equals(type)) {
                throw RealtimeError.invalidEvent("only message items are supported", "type");
            }
            if (role != null && !"user".equals(role)) {
                throw RealtimeError.invalidEvent("only user messages are supported", "role");
            }
            if (content == null || content.isEmpty() || content.contains(null)) {
                throw RealtimeError.invalidEvent("item.content must be a non-empty array of content parts", "content");
            }
            content = List.copyOf(content);
        }

        /** The parts' text, joined by spaces. */
        public String text() {
            return content.stream().map(InputText::text).collect(Collectors.joining(" "));
        }
    }

    /** The only content part a client may send: {@code input_text} with non-blank text. */
    record InputText(String type, String text) {
        public InputText {
            if (!"input_text".equals(type)) {
                throw RealtimeError.invalidEvent("only input_text content is supported", "type");
            }
            if (text == null || text.isBlank()) {
                throw RealtimeError.invalidEvent("input_text needs a non-empty text", "text");
            }
        }
    }
}
