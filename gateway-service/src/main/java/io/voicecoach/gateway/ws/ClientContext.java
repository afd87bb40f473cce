package io.voicecoach.gateway.ws;

import io.voicecoach.gateway.session.RealtimeSession;

import java.time.Instant;

/** The client frame being handled: its session, the session's audio input, and when the frame arrived. */
record ClientContext(RealtimeSession session, SessionAudio audio, Instant receivedAt) {
}
