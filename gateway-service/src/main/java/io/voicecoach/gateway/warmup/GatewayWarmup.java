package io.voicecoach.gateway.warmup;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
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
import io.voicecoach.platform.warmup.WarmupStep;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes a session's first frames as fast as its hundredth (issue 14): before the instance reports ready, the
 * (de)serialisers of every Realtime event and every event payload are built, sample client frames are bound, a
 * suggestion frame is written, three seconds of audio go through a track's decoder, resampler and voice activity
 * detection, and the producers fetch their topics' metadata. Nothing is sent to a client or published. The
 * platform's {@code StartupWarmup} runs it.
 */
@ApplicationScoped
public class GatewayWarmup implements WarmupStep {

    private static final int ROUNDS = 20;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
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

    private final VoiceActivityEngine voiceActivity;
    private final KafkaClientService clients;

    public GatewayWarmup(VoiceActivityEngine voiceActivity, KafkaClientService clients) {
        this.voiceActivity = voiceActivity;
        this.clients = clients;
    }

    @Override
    public String name() {
        return "the Realtime path (every event type's codec, " + ROUNDS + " rounds of frames and audio, producer metadata)";
    }

    @Override
    public void run() {
        RealtimeJson.prepareEveryType();
        EventCodec.prepareEveryType();
        byte[] speech = speechThenSilence();
        for (int round = 0; round < ROUNDS; round++) {
            frames();
            audio(speech);
        }
        PRODUCERS.forEach((channel, topic) -> clients.getProducer(channel).partitionsFor(topic)
                .await().atMost(METADATA_TIMEOUT));
    }

    /** Client frames bound, a suggestion event read and its frame written, as the fan-out does. */
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
        var event = EventCodec.decode(EventCodec.encode(Event.of(UUID.randomUUID(), "warm up", "sess_warmup", 1,
                Instant.now(), "coaching-service", suggestion)), Suggestion.class);
        RealtimeJson.frame(ServerEvent.CoachingSuggestion.of(event.payload(), event.occurredAt()));
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
