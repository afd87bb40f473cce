package io.voicecoach.events;

/** Payloads on {@link Topics#TRANSCRIPTS}: typed text from the gateway, speech-to-text results from transcription. */
public sealed interface TranscriptEvent extends Payload permits Transcript, TranscriptFailed {
}
