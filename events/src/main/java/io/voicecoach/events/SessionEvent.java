package io.voicecoach.events;

/** Payloads on {@link Topics#SESSIONS}, published by the gateway (and {@link SessionErased} by coaching). */
public sealed interface SessionEvent extends Payload permits SessionStarted, SessionUpdated, SessionEnded,
        SuggestionDelivered, SpeechStarted, ResponseRequested, ResponseCancelRequested, ItemCreated, ItemDeleted,
        ItemTruncated, SessionErased {
}
