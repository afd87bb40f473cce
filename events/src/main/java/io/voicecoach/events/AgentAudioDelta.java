package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A piece of a reply item's speech ({@code response.output_audio.delta}), in item order by {@code chunk}.
 *
 * @param chunk      0, 1, 2, ... within the item
 * @param transcript the text this chunk starts to speak (a sentence or clause on its first chunk, else empty)
 * @param sampleRate of {@code audio}: PCM16 little-endian mono (24000 unless noted)
 * @param startMs    where the chunk starts in the item's audio
 * @param audio      base64 PCM16 LE mono
 */
@RegisterForReflection
public record AgentAudioDelta(String responseId, String itemId, int chunk, String transcript, int sampleRate,
                              long startMs, long durationMs, String audio) implements AgentSpeechEvent {
}
