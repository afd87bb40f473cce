package io.voicecoach.transcription.audio;

import io.voicecoach.devstack.KafkaTestClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.Topics;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sends an utterance to voice.audio the way the gateway does: ~160 ms chunks, offsets, commit on the last. */
public final class Chunks {

    public static final int CHUNK_BYTES = 5120; // 160 ms

    /** @return the vc-received-at of the last chunk */
    public static Instant sendUtterance(KafkaTestClient kafka, String tenant, String session, String track,
                                        String utterance, long offsetMs, byte[] pcm, boolean commit) {
        return sendUtterance(kafka, tenant, session, track, utterance, offsetMs, pcm, commit, Map.of());
    }

    /** Like the gateway, puts {@code settings} (see {@link #settings}) on the first chunk only. */
    public static Instant sendUtterance(KafkaTestClient kafka, String tenant, String session, String track,
                                        String utterance, long offsetMs, byte[] pcm, boolean commit,
                                        Map<String, String> settings) {
        Instant last = null;
        for (int from = 0; from < pcm.length; from += CHUNK_BYTES) {
            int to = Math.min(pcm.length, from + CHUNK_BYTES);
            var chunk = java.util.Arrays.copyOfRange(pcm, from, to);
            last = Instant.now();
            var headers = new HashMap<String, String>();
            headers.put(AudioHeaders.TENANT_ID, tenant);
            headers.put(AudioHeaders.SESSION_ID, session);
            headers.put(AudioHeaders.TRACK, track);
            headers.put(AudioHeaders.EVENT_ID, UUID.randomUUID().toString());
            headers.put(AudioHeaders.UTTERANCE_ID, utterance);
            headers.put(AudioHeaders.OFFSET_MS, Long.toString(offsetMs + from / 32));
            headers.put(AudioHeaders.RECEIVED_AT, last.toString());
            headers.put(AudioHeaders.SEQ, Long.toString(from / CHUNK_BYTES + 1));
            headers.put(AudioHeaders.COMMIT, Boolean.toString(commit && to == pcm.length));
            if (from == 0) {
                headers.putAll(settings);
            }
            kafka.send(Topics.AUDIO, session, chunk, headers);
        }
        return last;
    }

    /**
     * Like {@link #sendUtterance} but at the pace of a live call (one 160 ms chunk every 160 ms), for engines whose
     * partials depend on audio arriving over time.
     */
    public static Instant sendUtteranceLive(KafkaTestClient kafka, String tenant, String session, String track,
                                            String utterance, long offsetMs, byte[] pcm) {
        Instant last = null;
        long next = System.nanoTime();
        for (int from = 0; from < pcm.length; from += CHUNK_BYTES) {
            java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
            next += 160_000_000L;
            int to = Math.min(pcm.length, from + CHUNK_BYTES);
            last = sendUtterance(kafka, tenant, session, track, utterance, offsetMs + from / 32,
                    java.util.Arrays.copyOfRange(pcm, from, to), to == pcm.length);
        }
        return last;
    }

    /** The speech-to-text headers of an utterance's first chunk; null leaves a header out. */
    public static Map<String, String> settings(String engine, String language, List<String> phrases) {
        var headers = new HashMap<String, String>();
        if (engine != null) {
            headers.put(AudioHeaders.STT_ENGINE, engine);
        }
        if (language != null) {
            headers.put(AudioHeaders.LANGUAGE, language);
        }
        if (phrases != null) {
            try {
                headers.put(AudioHeaders.PHRASES, EventJson.MAPPER.writeValueAsString(phrases));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return headers;
    }

    private Chunks() {
    }
}
