package io.voicecoach.events;

/**
 * Payloads on {@link Topics#AGENT_SPEECH}: the voice agent's reply text spoken, published by transcription-service's
 * speech stage. Event ids derive from session, reply, item and chunk index, so a reply synthesized again after its
 * partition moved repeats them and consumers drop the repeats.
 */
public sealed interface AgentSpeechEvent extends Payload permits AgentAudioDelta, AgentAudioDone, AgentSpeechFailed {
}
