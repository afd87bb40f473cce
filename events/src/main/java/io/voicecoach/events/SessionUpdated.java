package io.voicecoach.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * The client changed session settings ({@code session.update}) after the session started.
 *
 * @param mode                {@code coach} or {@code agent}; null keeps the current mode
 * @param transcriptionEngine STT engine for this session ({@code pocketsphinx}, {@code whisper},
 *                            {@code openai}, {@code deepgram}); null keeps the tenant default
 * @param language            BCP-47 language; null keeps the current one
 * @param phrases             phrase list that biases recognition (product and competitor names); may be empty
 * @param instructions        voice-agent instructions from the client; null keeps the tenant's
 * @param metadata            client metadata to merge (e.g. {@code team}, {@code outcome}); may be empty
 * @param tools               functions the client runs itself, in the Realtime shape
 *                            {@code {type: "function", name, description, parameters}}: the voice agent may call them,
 *                            the client answers with an {@link ItemCreated} {@code function_call_output}; null or empty
 *                            for none
 * @param toolChoice          the client's {@code tool_choice} ({@code "auto"}, {@code "none"}, {@code "required"} or
 *                            {@code {type: "function", name}}), null when it set none
 * @param output              how replies are spoken (output modalities, voice, format); null when not told (the
 *                            receiver keeps what it had)
 */
@RegisterForReflection
public record SessionUpdated(String mode, String transcriptionEngine, String language, List<String> phrases,
                             String instructions, Map<String, String> metadata, List<JsonNode> tools,
                             JsonNode toolChoice, SpeechOutput output) implements SessionEvent {

    public SessionUpdated(String mode, String transcriptionEngine, String language, List<String> phrases,
                          String instructions, Map<String, String> metadata, List<JsonNode> tools,
                          JsonNode toolChoice) {
        this(mode, transcriptionEngine, language, phrases, instructions, metadata, tools, toolChoice, null);
    }

    public SessionUpdated(String mode, String transcriptionEngine, String language, List<String> phrases,
                          String instructions, Map<String, String> metadata) {
        this(mode, transcriptionEngine, language, phrases, instructions, metadata, null, null, null);
    }
}
