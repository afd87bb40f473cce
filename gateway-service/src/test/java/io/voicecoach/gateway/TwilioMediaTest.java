package io.voicecoach.gateway;

import io.voicecoach.gateway.audio.Signals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.silence;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.AudioFrames.ulaw;
import static io.voicecoach.gateway.CallJoinTest.awaitSuggestion;
import static io.voicecoach.gateway.CallJoinTest.join;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class TwilioMediaTest {

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void aCallsInboundSpeechReachesVoiceAudioAndItsSuggestionsTheRep() {
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var audio = kafka.read(Topics.AUDIO);
             var rep = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var call = new TwilioClient(websocket(twilio), callSid)) {
            join(rep, callSid, "rep");

            call.connected();
            call.start(Map.of("api_key", DEMO_KEY, "rep_id", "rep_7"), List.of("inbound", "outbound"));
            // the customer speaks 800 ms after 1 s of line silence; the rep's side stays silent
            var inbound = frames(ulaw(silence(8000, 1000), tone(8000, 800, 440, 0.3), silence(8000, 1200)), 160);
            var outbound = frames(ulaw(silence(8000, 3000)), 160);
            long began = System.nanoTime();
            for (int i = 0; i < inbound.size(); i++) {
                // as Twilio does, in real time: a burst would run into the append rate
                LockSupport.parkNanos(began + i * 20_000_000L - System.nanoTime());
                call.media("inbound", inbound.get(i));
                call.media("outbound", outbound.get(i));
                if (i == 10) {
                    call.mark("greeting");
                    call.dtmf("1");
                }
            }

            // the rep's session carries the same call id: the stream's is the other one
            var started = sessions.awaitOne(r -> r.envelope() != null && !rep.sessionId().equals(r.key())
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                    && callSid.equals(r.envelope().payloadAs(SessionStarted.class).callId()), WAIT);
            String twilioSession = started.key();
            var payload = started.envelope().payloadAs(SessionStarted.class);
            assertThat(started.envelope().tenantId()).isEqualTo(DEMO_TENANT);
            assertThat(payload.repId()).isEqualTo("rep_7");
            assertThat(payload.tracks()).containsExactly("customer", "agent");
            assertThat(payload.audioFormat()).isEqualTo("audio/pcmu;rate=8000");
            assertThat(payload.metadata()).containsEntry("twilio_call_sid", callSid)
                    .containsEntry("twilio_stream_sid", call.streamSid);

            audio.await(r -> twilioSession.equals(r.key()) && "true".equals(r.headers().get(AudioHeaders.COMMIT)),
                    1, WAIT);
            var chunks = AudioFrames.audioOf(audio, twilioSession);
            assertThat(chunks).allSatisfy(r -> {
                assertThat(r.headers().get(AudioHeaders.TRACK)).isEqualTo("customer");
                assertThat(r.headers().get(AudioHeaders.TENANT_ID)).isEqualTo(DEMO_TENANT);
            });
            // speech at 1000 ms minus 300 ms prefix padding; through 1800 ms plus 500 ms of hangover
            assertThat(Long.parseLong(chunks.getFirst().headers().get(AudioHeaders.OFFSET_MS)))
                    .isCloseTo(700, within(30L));
            int totalMs = chunks.stream().mapToInt(r -> r.value().length).sum() / 32;
            assertThat(totalMs).isCloseTo(1600, within(60));
            var pcm = AudioFrames.samples(AudioInputTest.concat(chunks.stream().map(KafkaTestClient.Received::value)
                    .toArray(byte[][]::new)));
            // the tone survives mu-law, 8 -> 16 kHz and chunking: 440 Hz at 0.3 of full scale (+-0.5 dB)
            double level = Signals.goertzel(pcm, 300 * 16, 1100 * 16, 440, 16000);
            assertThat(20 * Math.log10(level / 0.3)).isCloseTo(0, within(0.5));
            assertThat(call.receivedAnything()).isFalse();

            String suggestionId = "sug_twilio_" + UUID.randomUUID();
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, twilioSession, suggestionId));
            awaitSuggestion(rep, suggestionId);

            call.stop();
            var ended = sessions.awaitOne(r -> twilioSession.equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT);
            assertThat(ended.envelope().payloadAs(SessionEnded.class).reason()).isEqualTo("client_closed");
            assertThat(call.receivedAnything()).isFalse();
        }
    }

    @Test
    void aBadOrMissingKeyClosesWithPolicyViolationAndPublishesNothing() {
        String badSid = "CA_bad_" + UUID.randomUUID();
        String missingSid = "CA_missing_" + UUID.randomUUID();
        try (var sessions = kafka.read(Topics.SESSIONS)) {
            try (var bad = new TwilioClient(websocket(twilio), badSid)) {
                bad.connected();
                bad.start(Map.of("api_key", "vc_not_a_key_0123456789"), List.of("inbound"));
                bad.media("inbound", ulaw(tone(8000, 20, 440, 0.3)));
                assertThat(bad.awaitCloseCode()).isEqualTo(1008);
            }
            try (var missing = new TwilioClient(websocket(twilio), missingSid)) {
                missing.start(Map.of("call_id", "whatever"), List.of("inbound"));
                assertThat(missing.awaitCloseCode()).isEqualTo(1008);
            }
            try (var wrongFormat = new TwilioClient(websocket(twilio), "CA_fmt_" + UUID.randomUUID())) {
                wrongFormat.sendRaw("{\"event\":\"start\",\"start\":{\"callSid\":\"CA1\",\"customParameters\":"
                        + "{\"api_key\":\"" + DEMO_KEY + "\"},\"mediaFormat\":{\"encoding\":\"audio/x-l16\","
                        + "\"sampleRate\":16000,\"channels\":1}}}");
                assertThat(wrongFormat.awaitCloseCode()).isEqualTo(1003);
            }

            // a good stream afterwards: once its session.started is read, the bad ones would have been too
            String goodSid = "CA_good_" + UUID.randomUUID();
            try (var good = new TwilioClient(websocket(twilio), goodSid)) {
                good.sendRaw("not json at all");
                good.start(Map.of("api_key", DEMO_KEY, "call_id", "call_custom_" + goodSid), List.of("inbound"));
                var started = sessions.awaitOne(r -> r.envelope() != null
                        && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                        && ("call_custom_" + goodSid).equals(r.envelope().payloadAs(SessionStarted.class).callId()),
                        WAIT);
                assertThat(started.envelope().payloadAs(SessionStarted.class).metadata())
                        .containsEntry("twilio_call_sid", goodSid);
                assertThat(good.closedByServer()).isFalse();
            }
            assertThat(sessions.all()).noneMatch(r -> r.valueAsString().contains(badSid)
                    || r.valueAsString().contains(missingSid));
        }
    }
}
