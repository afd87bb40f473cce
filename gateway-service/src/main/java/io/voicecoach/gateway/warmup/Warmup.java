package io.voicecoach.gateway.warmup;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.audio.AudioChunk;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TrackInput;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.audio.VoiceActivityEngine;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Makes a session's first frames as fast as its hundredth (issue 14): before the instance reports ready, the
 * (de)serialisers of every Realtime event and every envelope payload are built, sample client frames are bound, a
 * suggestion frame is written, three seconds of audio go through a track's decoder, resampler and voice activity
 * detection, and the producers fetch their topics' metadata. Nothing is sent to a client or published. A failed
 * warm-up is logged and the instance becomes ready all the same.
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class);
    private static final List<String> CLIENT_FRAMES = List.of(
            "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\"warm up\"}}",
            "{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAAAA==\"}",
            "{\"type\":\"input_audio_buffer.commit\"}",
            "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                    + "\"content\":[{\"type\":\"input_text\",\"text\":\"The price is too high.\"}]}}",
            "{\"type\":\"response.create\",\"response\":{\"conversation\":\"none\"}}");
    private static final Map<String, String> PRODUCERS = Map.of("sessions-out", Topics.SESSIONS,
            "transcripts-out", Topics.TRANSCRIPTS, "audio-out", Topics.AUDIO);
    private static final TrackInput.Listener NOWHERE = new TrackInput.Listener() {
        @Override
        public void speechStarted(String track, String itemId, long audioStartMs) {
        }

        @Override
        public void speechStopped(String track, String itemId, long audioEndMs) {
        }

        @Override
        public void chunk(AudioChunk chunk) {
        }

        @Override
        public void committed(String track, String itemId) {
        }
    };

    private final WarmupConfig config;
    private final VoiceActivityEngine voiceActivity;
    private final KafkaClientService clients;
    private volatile Status status = Status.PENDING;
    private volatile Duration took = Duration.ZERO;

    public enum Status { PENDING, DONE, FAILED, OFF }

    public Warmup(WarmupConfig config, VoiceActivityEngine voiceActivity, KafkaClientService clients) {
        this.config = config;
        this.voiceActivity = voiceActivity;
        this.clients = clients;
    }

    void start(@Observes StartupEvent started) {
        if (!config.enabled()) {
            status = Status.OFF;
            return;
        }
        Thread.ofVirtual().name("gateway-warmup").start(this::run);
    }

    public Status status() {
        return status;
    }

    public Duration took() {
        return took;
    }

    void run() {
        long start = System.nanoTime();
        try {
            int types = RealtimeJson.prepareEveryType();
            for (var type : EventRegistry.ALL) {
                EventJson.MAPPER.readerFor(type.payload());
                EventJson.MAPPER.writerFor(type.payload());
            }
            byte[] speech = speechThenSilence();
            for (int round = 0; round < config.rounds(); round++) {
                frames();
                audio(speech);
            }
            PRODUCERS.forEach((channel, topic) -> clients.getProducer(channel).partitionsFor(topic)
                    .await().atMost(config.timeout()));
            took = Duration.ofNanos(System.nanoTime() - start);
            status = Status.DONE;
            LOG.infof("warmed up in %d ms (%d Realtime event types, %d rounds)", took.toMillis(), types,
                    config.rounds());
        } catch (RuntimeException e) {
            took = Duration.ofNanos(System.nanoTime() - start);
            status = Status.FAILED;
            LOG.warnf(e, "warm-up failed after %d ms; ready all the same, the first calls will be slower",
                    took.toMillis());
        }
    }

    /** Client frames bound, a suggestion's envelope read and its frame written, as the fan-out does. */
    private static void frames() {
        for (String frame : CLIENT_FRAMES) {
            try {
                RealtimeJson.read(frame.getBytes(StandardCharsets.UTF_8));
            } catch (RealtimeError refused) {
                // a refusal is bound too: what matters is that the binding code ran
            }
        }
        var suggestion = new Suggestion("sug_warmup", "item_warmup", "objection", "price", "Objection: price",
                "Acknowledge, then reframe on value.", 0.9, "rules", 1, null, Instant.now(), Instant.now());
        var envelope = EventJson.decode(EventJson.encode(Envelope.of(EventTypes.SUGGESTION, "warm up",
                "sess_warmup", 1, "coaching-service", suggestion)));
        RealtimeJson.frame(ServerEvent.CoachingSuggestion.of(envelope.payloadAs(Suggestion.class),
                envelope.occurredAt()));
    }

    /** A track's decoding, resampling and turn detection over the audio, 100 ms at a time. */
    private void audio(byte[] pcm) {
        var track = new TrackInput("customer", InputAudioFormat.DEFAULT, TurnDetection.DEFAULT, 200, 30_000,
                voiceActivity, () -> "item_warmup", NOWHERE);
        int step = InputAudioFormat.DEFAULT.rate() / 10 * 2;
        for (int offset = 0; offset < pcm.length; offset += step) {
            track.append(java.util.Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + step)),
                    Instant.now());
        }
        track.commit();
    }

    /** 1.5 s of a 220 Hz tone, then 1.5 s of silence, as 24 kHz PCM16 (the Realtime default). */
    private static byte[] speechThenSilence() {
        int rate = InputAudioFormat.DEFAULT.rate();
        var buffer = ByteBuffer.allocate(rate * 3 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rate * 3; i++) {
            buffer.putShort(i < rate * 3 / 2 ? (short) (8000 * Math.sin(2 * Math.PI * 220 * i / rate)) : 0);
        }
        return buffer.array();
    }
}
