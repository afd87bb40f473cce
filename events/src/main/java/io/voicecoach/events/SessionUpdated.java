package io.voicecoach.events;

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
 */
@RegisterForReflection
public record SessionUpdated(String mode, String transcriptionEngine, String language, List<String> phrases, String instructions, Map<String, String> metadata) implements SessionEvent {
}
