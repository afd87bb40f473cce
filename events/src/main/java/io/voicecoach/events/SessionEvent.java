package io.voicecoach.events;

/** Payloads on {@link Topics#SESSIONS}, published by the gateway. */
public sealed interface SessionEvent extends Payload permits SessionStarted, SessionUpdated, SessionEnded,
        SuggestionDelivered, SpeechStarted, ResponseRequested, ResponseCancelRequested {
}
