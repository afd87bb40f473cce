package io.voicecoach.gateway.audio;

import java.time.Instant;

/**
 * A piece of one utterance of one track, canonical PCM16 little-endian mono 16 kHz, ready for {@code voice.audio}.
 *
 * @param offsetMs   position of the first sample on the track
 * @param first      the first chunk of its utterance (it carries the session's speech-to-text settings)
 * @param commit     the last chunk of a committed utterance (may be empty)
 * @param receivedAt when the gateway received the frame that completed the chunk
 */
public record AudioChunk(String track, String utteranceId, byte[] pcm, long offsetMs, boolean first, boolean commit,
                         Instant receivedAt) {

    public int samples() {
        return pcm.length / 2;
    }
}
