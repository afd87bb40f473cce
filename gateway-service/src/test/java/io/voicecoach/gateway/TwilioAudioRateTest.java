package io.voicecoach.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.twilio.TwilioMediaEndpoint;
import org.jboss.logmanager.ExtLogRecord;
import io.voicecoach.gateway.tenant.TenantDirectory;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.silence;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.AudioFrames.ulaw;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 19: Twilio {@code media} under the audio budget ({@code max-audio-rate} x real time per track after
 * {@code audio-rate-burst}). Twilio has no error frame: the excess is dropped and counted, the stream stays open. What
 * was admitted is read back from {@code voice.audio}: a stream's chunks carry its track clock, which only admitted
 * audio advances, so the end of its last chunk is the audio the gateway took. The flood is logged once.
 */
@QuarkusTest
@TestProfile(TwilioAudioRateTest.SmallAudioBurst.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class TwilioAudioRateTest {

    static final int RATE = 4;
    static final int BURST_MS = 5000;

    public static class SmallAudioBurst implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // one utterance per stream (no split at a maximum length), so its last chunk ends at the track's clock
            return Map.of("voicecoach.limits.max-audio-rate", String.valueOf(RATE),
                    "voicecoach.limits.audio-rate-burst", BURST_MS + "ms",
                    "voicecoach.gateway.max-utterance-ms", "0");
        }
    }

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    @Inject
    TenantDirectory directory;

    @Inject
    ApiKeys apiKeys;

    @Inject
    MeterRegistry meters;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    /** 6 s at 20 x real time (400 ms frames, 50 a second: within the append rate) is 120 s of audio. */
    @Test
    void aStreamAtTwentyTimesRealTimeHasMostOfItsMediaDropped() {
        var tenant = new TestTenants(directory, apiKeys).create("twilio_flood");
        Counter refused = refusedCounter();
        double refusedBefore = refused.count();
        int frameMs = 400;
        var flood = frames(ulaw(speechLike(8000, 120_000)), 8 * frameMs);
        var warnings = new CopyOnWriteArrayList<String>();
        var capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue() && record instanceof ExtLogRecord ext) {
                    warnings.add(ext.getFormattedMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var endpointLog = Logger.getLogger(TwilioMediaEndpoint.class.getName());
        endpointLog.addHandler(capture);
        try (var sessions = kafka.read(Topics.SESSIONS);
             var audio = kafka.read(Topics.AUDIO);
             var call = new TwilioClient(websocket(twilio), TwilioLimitsTest.sid())) {
            long began = System.nanoTime();
            call.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            String sessionId = TwilioLimitsTest.awaitStarted(sessions, call.callSid);
            long floodBegan = System.nanoTime();
            for (int i = 0; i < flood.size(); i++) {
                LockSupport.parkNanos(floodBegan + i * frameMs * 1_000_000L / 20 - System.nanoTime());
                call.media("inbound", flood.get(i));
            }
            // the budget refills (4 s of audio a second) while nothing is sent; then 800 ms in real time end the call
            LockSupport.parkNanos(1_000_000_000L);
            int tailMs = sendInRealTime(call, ulaw(silence(8000, 300), tone(8000, 500, 440, 0.3)));
            assertThat(call.closedByServer()).isFalse();
            call.stop();

            long admittedMs = trackEndMs(audio, sessionId) - tailMs;
            double seconds = (System.nanoTime() - began) / 1e9;
            long sentMs = (long) flood.size() * frameMs;
            System.out.printf("Twilio flood: %,d ms of audio sent in %.1f s, %,d ms admitted%n", sentMs, seconds,
                    admittedMs);
            // the burst at once, then at most 4 x real time of the time the stream was open
            assertThat(admittedMs).isGreaterThanOrEqualTo(BURST_MS - frameMs)
                    .isLessThanOrEqualTo((long) (BURST_MS + RATE * 1000 * seconds) + frameMs)
                    .isLessThan(sentMs / 2);
            long admittedFrames = Math.round((double) admittedMs / frameMs);
            assertThat(refused.count() - refusedBefore).isEqualTo(flood.size() - admittedFrames);
            assertThat(endReason(sessions, sessionId)).isEqualTo("client_closed");
            // hundreds of frames dropped, one line (at most one a minute per stream)
            assertThat(warnings).filteredOn(w -> w.contains(sessionId)).singleElement().asString()
                    .contains("faster than 4.0 x real time");
        } finally {
            endpointLog.removeHandler(capture);
        }
    }

    @Test
    void aStreamInRealTimeLosesNothing() {
        var tenant = new TestTenants(directory, apiKeys).create("twilio_honest");
        Counter refused = refusedCounter();
        double refusedBefore = refused.count();
        try (var sessions = kafka.read(Topics.SESSIONS);
             var audio = kafka.read(Topics.AUDIO);
             var call = new TwilioClient(websocket(twilio), TwilioLimitsTest.sid())) {
            call.start(Map.of("api_key", tenant.key()), List.of("inbound"));
            String sessionId = TwilioLimitsTest.awaitStarted(sessions, call.callSid);
            // longer than the burst: only the rate lets it through
            int sentMs = sendInRealTime(call, ulaw(silence(8000, 200), speechLike(8000, BURST_MS + 1800)));
            call.stop();

            assertThat(trackEndMs(audio, sessionId)).isCloseTo(sentMs, within(40L));
            assertThat(refused.count()).isEqualTo(refusedBefore);
            assertThat(endReason(sessions, sessionId)).isEqualTo("client_closed");
        }
    }

    private Counter refusedCounter() {
        return meters.counter("voicecoach.gateway.audio.refused", "transport", "twilio", "reason", "audio_rate");
    }

    /** 300 ms of tone and 100 ms of silence, repeated: one long turn for the energy VAD, whatever frames are dropped. */
    private static short[] speechLike(int rate, int ms) {
        var out = new short[rate * ms / 1000];
        var tone = tone(rate, 300, 440, 0.3);
        int period = rate * 400 / 1000;
        for (int at = 0; at < out.length; at += period) {
            System.arraycopy(tone, 0, out, at, Math.min(tone.length, out.length - at));
        }
        return out;
    }

    /** Sends mu-law audio as Twilio does, 20 ms frames in real time; returns its length in ms. */
    private static int sendInRealTime(TwilioClient call, byte[] audio) {
        var frames = frames(audio, 160);
        long began = System.nanoTime();
        for (int i = 0; i < frames.size(); i++) {
            LockSupport.parkNanos(began + i * 20_000_000L - System.nanoTime());
            call.media("inbound", frames.get(i));
        }
        return audio.length / 8;
    }

    /** Where the stream's one utterance ends on its track's clock: its commit chunk's offset plus its length. */
    private static long trackEndMs(KafkaTestClient.TopicReader audio, String sessionId) {
        var commit = audio.awaitOne(r -> sessionId.equals(r.key())
                && "true".equals(r.headers().get(AudioHeaders.COMMIT)), WAIT);
        var chunks = AudioFrames.audioOf(audio, sessionId);
        assertThat(chunks.getLast().headers()).isEqualTo(commit.headers());
        assertThat(chunks).filteredOn(r -> "true".equals(r.headers().get(AudioHeaders.COMMIT))).hasSize(1);
        long endMs = Long.parseLong(commit.headers().get(AudioHeaders.OFFSET_MS)) + commit.value().length / 32;
        // only the turn leaves the track (server VAD): some of the admitted audio, never more
        long publishedMs = chunks.stream().mapToLong(r -> r.value().length).sum() / 32;
        assertThat(publishedMs).isPositive().isLessThanOrEqualTo(endMs);
        return endMs;
    }

    private static String endReason(KafkaTestClient.TopicReader sessions, String sessionId) {
        return sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                        && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT)
                .envelope().payloadAs(SessionEnded.class).reason();
    }
}
