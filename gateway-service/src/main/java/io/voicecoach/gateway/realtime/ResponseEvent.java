package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** The {@code response.*} client events, served by the voice agent (and, out of band, by coaching). */
@RegisterForReflection
public sealed interface ResponseEvent extends ClientEvent {

    /** {@code response.create}: asks the voice agent for a reply, optionally with instructions for it alone. */
    record Create(String eventId, Options response) implements ResponseEvent {
        public Create {
            response = response == null ? Options.NONE : response;
        }
    }

    /**
     * The {@code response} of a {@code response.create}. {@code conversation: "none"} with {@code metadata.voicecoach:
     * "coaching"} asks for coaching as out-of-band responses; the other fields a voice-agent reply cannot take
     * ({@link #unsupported()}) refuse the request.
     *
     * @param conversation {@code auto} (default) or {@code none} (out of band)
     * @param metadata     up to 16 string pairs (keys up to 64 characters, values up to 512)
     */
    record Options(String instructions, String conversation, Map<String, String> metadata,
                   List<String> outputModalities, JsonNode tools, JsonNode toolChoice, JsonNode maxOutputTokens,
                   JsonNode input, JsonNode prompt, List<String> modalities, JsonNode maxResponseOutputTokens,
                   JsonNode temperature) {

        public static final String OUT_OF_BAND = "none";
        public static final String COACHING_KEY = "voicecoach";
        public static final String COACHING_VALUE = "coaching";
        static final Options NONE = withInstructions(null);

        public Options {
            if (conversation != null && !"auto".equals(conversation) && !OUT_OF_BAND.equals(conversation)) {
                throw RealtimeError.invalidEvent("conversation must be auto or none", "conversation");
            }
            if (metadata != null) {
                if (metadata.size() > 16) {
                    throw RealtimeError.invalidEvent("metadata holds at most 16 pairs", "metadata");
                }
                metadata.forEach((key, value) -> {
                    if (value == null || key.length() > 64 || value.length() > 512) {
                        throw RealtimeError.invalidEvent("metadata values are strings of at most 512 characters, "
                                + "keys at most 64", "metadata." + RealtimeJson.clipped(key));
                    }
                });
                metadata = Map.copyOf(metadata);
            }
            checkModalities(outputModalities, "output_modalities");
            checkModalities(modalities, "modalities");
        }

        /** A static factory, not a constructor: Jackson would bind a one-string constructor from a bare string. */
        public static Options withInstructions(String instructions) {
            return new Options(instructions, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** True for the out-of-band coaching request. */
        public boolean asksForCoaching() {
            return OUT_OF_BAND.equals(conversation) && metadata != null
                    && COACHING_VALUE.equals(metadata.get(COACHING_KEY));
        }

        /** The first field a voice-agent reply cannot take, as an {@code unsupported_value} error; null if none. */
        public RealtimeError unsupported() {
            if (OUT_OF_BAND.equals(conversation) && !asksForCoaching()) {
                return unsupported("conversation", "out-of-band responses are served for coaching only "
                        + "(metadata.voicecoach: \"coaching\")");
            }
            if (outputModalities != null && outputModalities.contains("audio")
                    || modalities != null && modalities.contains("audio")) {
                return unsupported(outputModalities != null ? "output_modalities" : "modalities",
                        "replies are text only (no audio output)");
            }
            if (!OUT_OF_BAND.equals(conversation) && metadata != null) {
                return unsupported("metadata", "in-band replies carry no metadata");
            }
            if (present(tools) || present(toolChoice)) {
                return unsupported(present(tools) ? "tools" : "tool_choice",
                        "tools are set for the session (session.update), not per reply");
            }
            if (present(maxOutputTokens) && !"inf".equals(maxOutputTokens.asText(null))) {
                return unsupported("max_output_tokens", "replies are not capped per request");
            }
            if (present(maxResponseOutputTokens) && !"inf".equals(maxResponseOutputTokens.asText(null))) {
                return unsupported("max_response_output_tokens", "replies are not capped per request");
            }
            if (present(temperature)) {
                return unsupported("temperature", "the voice agent's model settings are the tenant's");
            }
            if (present(input)) {
                return unsupported("input", "a reply answers the conversation; it takes no input items");
            }
            if (present(prompt)) {
                return unsupported("prompt", "stored prompts are not available: use instructions");
            }
            return null;
        }

        private static void checkModalities(List<String> modalities, String field) {
            if (modalities != null && (modalities.isEmpty() || modalities.stream()
                    .anyMatch(m -> !"text".equals(m) && !"audio".equals(m)))) {
                throw RealtimeError.invalidEvent(field + " must name text or audio", field);
            }
        }

        private static RealtimeError unsupported(String field, String message) {
            return RealtimeError.invalid(RealtimeError.UNSUPPORTED_VALUE, message, "response." + field);
        }

        private static boolean present(JsonNode value) {
            return value != null && !value.isNull();
        }
    }

    /** {@code response.cancel}: the reply {@code response_id}, else the one in progress. */
    record Cancel(String eventId, String responseId) implements ResponseEvent {
    }

    /** {@code output_audio_buffer.clear}: stop the agent's audio playing now and cancel its reply. */
    record ClearOutputAudio(String eventId) implements ResponseEvent {
    }
}
