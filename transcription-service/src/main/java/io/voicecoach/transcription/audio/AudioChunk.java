package io.voicecoach.transcription.audio;

import io.voicecoach.events.AudioHeaders;

import java.time.Instant;

/**
 * One validated {@code voice.audio} record. {@code utteranceId} is null for audio outside any utterance;
 * {@code settings} are those of the chunk's headers (they count on an utterance's first chunk only).
 */
public record AudioChunk(String tenantId, String sessionId, String track, String utteranceId, long offsetMs,
                         Instant receivedAt, boolean commit, UtteranceSettings settings, byte[] pcm) {

    public long durationMs() {
        return pcm.length / 2L * 1000 / AudioHeaders.SAMPLE_RATE;
    }

    public long endMs() {
        return offsetMs + durationMs();
    }
}
