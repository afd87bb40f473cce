package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.stream.Collectors;

/** The {@code conversation.item.*} client events. */
@RegisterForReflection
public sealed interface ConversationEvent extends ClientEvent {

    /** Longest text the gateway takes in one content part or function output. */
    int MAX_TEXT = 16_000;

    /**
     * {@code conversation.item.create}: a message or a function's output, after {@code previous_item_id}
     * ({@code "root"}: first; absent: last); a user message speaks on track {@code voicecoach.track}.
     */
    record ItemCreate(String eventId, String previousItemId, Item item, TrackOption voicecoach)
            implements ConversationEvent {
        public ItemCreate {
            if (item == null) {
                throw RealtimeError.invalidEvent("conversation.item.create needs an item object", "item");
            }
        }
    }

    /**
     * A client item: a {@code message} of the {@code user} (default) or {@code system} ({@code input_text} parts) or
     * of the {@code assistant} ({@code output_text}, beta {@code text}), or a {@code function_call_output}
     * ({@code call_id}, {@code output}); {@code id} may be chosen by the client.
     */
    record Item(String id, String type, String role, List<Part> content, String callId, String output) {

        public static final String MESSAGE = "message";
        public static final String FUNCTION_CALL_OUTPUT = "function_call_output";
        public static final String USER = "user";
        public static final String SYSTEM = "system";
        public static final String ASSISTANT = "assistant";

        public Item {
            if (FUNCTION_CALL_OUTPUT.equals(type)) {
                if (callId == null || callId.isBlank() || callId.length() > 200) {
                    throw RealtimeError.invalidEvent("a function_call_output needs the call_id it answers", "call_id");
                }
                if (output == null || output.length() > MAX_TEXT) {
                    throw RealtimeError.invalidEvent("output must be a string of at most " + MAX_TEXT
                            + " characters", "output");
                }
                content = List.of();
            } else if (MESSAGE.equals(type)) {
                role = role == null ? USER : role;
                if (!USER.equals(role) && !SYSTEM.equals(role) && !ASSISTANT.equals(role)) {
                    throw RealtimeError.invalidEvent("role must be user, system or assistant", "role");
                }
                if (content == null || content.isEmpty() || content.contains(null)) {
                    throw RealtimeError.invalidEvent("item.content must be a non-empty array of content parts",
                            "content");
                }
                for (int i = 0; i < content.size(); i++) {
                    if (content.get(i).output() != ASSISTANT.equals(role)) {
                        throw RealtimeError.invalidEvent(ASSISTANT.equals(role)
                                ? "an assistant message has output_text parts"
                                : "only input_text content is supported", "content[" + i + "].type");
                    }
                }
                content = List.copyOf(content);
            } else {
                throw RealtimeError.invalidEvent("only message and function_call_output items are supported", "type");
            }
        }

        public boolean isMessage() {
            return MESSAGE.equals(type);
        }

        /** The parts' text, joined by spaces. */
        public String text() {
            return content.stream().map(Part::text).collect(Collectors.joining(" "));
        }
    }

    /**
     * A content part: {@code input_text} (user, system) or {@code output_text} (assistant; beta {@code text}), with
     * non-blank text; audio and images are not taken.
     */
    record Part(String type, String text) {
        public Part {
            if (!"input_text".equals(type) && !"output_text".equals(type) && !"text".equals(type)) {
                throw RealtimeError.invalidEvent("only input_text and output_text content is supported", "type");
            }
            if (text == null || text.isBlank()) {
                throw RealtimeError.invalidEvent("a text part needs a non-empty text", "text");
            }
            if (text.length() > MAX_TEXT) {
                throw RealtimeError.invalidEvent("text is limited to " + MAX_TEXT + " characters", "text");
            }
        }

        boolean output() {
            return !"input_text".equals(type);
        }
    }

    /** {@code conversation.item.retrieve}: answered with {@code conversation.item.retrieved}. */
    record ItemRetrieve(String eventId, String itemId) implements ConversationEvent {
        public ItemRetrieve {
            requireItemId(itemId);
        }
    }

    /** {@code conversation.item.delete}: answered with {@code conversation.item.deleted}. */
    record ItemDelete(String eventId, String itemId) implements ConversationEvent {
        public ItemDelete {
            requireItemId(itemId);
        }
    }

    /**
     * {@code conversation.item.truncate}: the assistant item was heard up to {@code audio_end_ms} of content part
     * {@code content_index}; answered with {@code conversation.item.truncated}.
     */
    record ItemTruncate(String eventId, String itemId, Integer contentIndex, Long audioEndMs)
            implements ConversationEvent {
        public ItemTruncate {
            requireItemId(itemId);
            if (contentIndex == null || contentIndex < 0) {
                throw RealtimeError.invalidEvent("content_index must be a non-negative integer", "content_index");
            }
            if (audioEndMs == null || audioEndMs < 0) {
                throw RealtimeError.invalidEvent("audio_end_ms must be a non-negative integer", "audio_end_ms");
            }
        }
    }

    private static void requireItemId(String itemId) {
        if (itemId == null || itemId.isBlank()) {
            throw RealtimeError.invalidEvent("missing item_id", "item_id");
        }
    }
}
