package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A reply item's speech is complete ({@code response.output_audio.done}); after its last {@link AgentAudioDelta}.
 *
 * @param chunks     how many audio chunks the item has
 * @param transcript the text spoken
 * @param durationMs the item's audio length
 * @param engine     the engine that spoke it ({@code espeak-ng}, ...)
 * @param voice      the OpenAI voice name asked for ({@code alloy}, ...)
 */
@RegisterForReflection
public record AgentAudioDone(String responseId, String itemId, int chunks, String transcript, long durationMs,
                             String engine, String voice) implements AgentSpeechEvent {
}
