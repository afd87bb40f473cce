package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A simulated call against {@link FakeGateway}, its 100 ms clock driven by the test (frame k at k x 100 ms, no
 * waiting between frames): what it sends, when it goes on, and what its record makes of the answers.
 */
class CallTest {

    private static final long FRAME = Call.FRAME_NANOS;
    private FakeGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Counters counters = new Counters();
    private final AtomicReference<CallRecord> done = new AtomicReference<>();
    private long now = System.nanoTime();

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    private CallPlan plan(LoadOptions.Mode mode, LoadOptions.Input input, int legs, Script script,
                          List<TurnAudio> audio) {
        return new CallPlan(URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/realtime"), "vc_test_key", http,
                mode, input, legs, script, audio, 500, "rep_test", 0, 1_000, 1_000);
    }

    private Call open(CallPlan plan) {
        var call = new Call("call_t", plan, counters, new LiveStats(), done::set);
        call.open();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
            call.tick(now);
            return call.state() == Call.State.PLAYING;
        });
        return call;
    }

    /** Ticks {@code frames} frames, each 100 ms after the one before, at once. */
    private void tick(Call call, int frames) {
        for (int i = 0; i < frames && call.state() != Call.State.DONE; i++) {
            now += FRAME;
            call.tick(now);
        }
    }

    /** Ticks one frame per poll until the call is over: it ends only when nothing is due any more. */
    private CallRecord finish(Call call) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
            now += FRAME;
            call.tick(now);
            return call.state() == Call.State.DONE;
        });
        return done.get();
    }

    private static ObjectNode suggestion(String id, String itemId) {
        var frame = Leg.JSON.createObjectNode().put("type", "voicecoach.coaching.suggestion");
        frame.putObject("suggestion").put("id", id).put("item_id", itemId).put("kind", "objection")
                .put("category", "price").put("source", "rules").putObject("timings")
                .put("received_at", "2026-12-06T10:00:00.000Z").put("transcript_at", "2026-12-06T10:00:00.001Z")
                .put("suggested_at", "2026-12-06T10:00:00.004Z");
        return frame;
    }

    @Test
    void typedTurnsGoOutOnTheirSpeakersLegAtTheirPaceAndTheSuggestionIsAwaited() {
        var script = new Script(List.of(new Script.Turn(1, Script.AGENT, "Hello there.", null, null),
                new Script.Turn(2, Script.CUSTOMER, "Far too expensive.", "objection", "price")));
        var reply = new AtomicBoolean();
        gateway.react((connection, frame) -> {
            if (frame.path("type").asText().equals("conversation.item.create") && reply.get()
                    && "customer".equals(frame.path("voicecoach").path("track").asText())) {
                gateway.rep(connection.callId).send(suggestion("sug_1", frame.path("item").path("id").asText()));
            }
        });
        var call = open(plan(LoadOptions.Mode.COACH, LoadOptions.Input.TEXT, 2, script, List.of()));

        var rep = gateway.connections.stream().filter(c -> "rep".equals(c.role)).findFirst().orElseThrow();
        var customer = gateway.connections.stream().filter(c -> "customer".equals(c.role)).findFirst().orElseThrow();
        assertThat(rep.authorization).isEqualTo("Bearer vc_test_key");
        var update = rep.frames("session.update").getFirst().path("session");
        assertThat(update.path("voicecoach").path("call_id").asText()).isEqualTo("call_t");
        assertThat(update.path("voicecoach").path("rep_id").asText()).isEqualTo("rep_test");
        assertThat(update.path("voicecoach").path("mode").asText()).isEqualTo("coach");
        assertThat(update.path("audio").path("input").path("turn_detection").path("silence_duration_ms").asInt())
                .isEqualTo(500);
        assertThat(customer.callId).isEqualTo("call_t");

        // "Hello there." takes 2 words at 160 wpm = 750 ms: sent with the 8th frame, not before
        tick(call, 6);
        assertThat(rep.frames("conversation.item.create")).isEmpty();
        tick(call, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> rep.frames("conversation.item.create").size() == 1);
        var agentItem = rep.frames("conversation.item.create").getFirst();
        assertThat(agentItem.path("item").path("id").asText()).isEqualTo("call_t_t1");
        assertThat(agentItem.path("item").path("content").get(0).path("text").asText()).isEqualTo("Hello there.");
        assertThat(agentItem.path("voicecoach").path("track").asText()).isEqualTo("agent");

        reply.set(true);
        var record = finish(call);

        assertThat(customer.frames("conversation.item.create")).singleElement()
                .satisfies(item -> assertThat(item.path("item").path("id").asText()).isEqualTo("call_t_t2"));
        assertThat(record.failure).isNull();
        assertThat(record.suggestions).containsKey("sug_1");
        assertThat(record.turnOf("call_t_t2")).isSameAs(record.turns.get(1));
        var samples = new LevelSamples(Long.MIN_VALUE + 1, Long.MAX_VALUE);
        samples.add(record, new EpochClock());
        assertThat(samples.detection().matched()).isEqualTo(1);
        assertThat(samples.summary(Hop.TRANSCRIPT_TO_SUGGESTION).p50()).isEqualTo(3.0);
        assertThat(samples.summary(Hop.TEXT_TO_TRANSCRIPT).p50()).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> rep.closeCode == 1000 && customer.closeCode == 1000);
        assertThat(counters.errorCount()).isZero();
        assertThat(counters.callsCompleted.sum()).isEqualTo(1);
    }

    @Test
    void speechStreamsEachTrackOnItsLegWithSilenceWhileTheOtherSpeaks() {
        var agentAudio = TurnAudio.of(tone(0, 300, 100), Script.AGENT);      // 4 frames, speech 0-300 ms
        var customerAudio = TurnAudio.of(tone(100, 420, 80), Script.CUSTOMER); // 6 frames, speech 100-520 ms
        var script = new Script(List.of(new Script.Turn(1, Script.AGENT, "hi", null, null),
                new Script.Turn(2, Script.CUSTOMER, "too expensive", "objection", "price")));
        gateway.react((connection, frame) -> {
            if ("customer".equals(connection.role) && connection.frames("input_audio_buffer.append").size() == 11) {
                // the customer's turn began with frame 4 (gap 0): its speech ran 500-920 ms of the track
                var started = Leg.JSON.createObjectNode().put("type", "input_audio_buffer.speech_started")
                        .put("item_id", "item_c").put("audio_start_ms", 200);
                started.putObject("voicecoach").put("track", "customer");
                connection.send(started);
                connection.send(Leg.JSON.createObjectNode().put("type", "input_audio_buffer.speech_stopped")
                        .put("item_id", "item_c").put("audio_end_ms", 1_420));
                connection.send(Leg.JSON.createObjectNode().put("type", "input_audio_buffer.committed")
                        .put("item_id", "item_c"));
                var rep = gateway.rep(connection.callId);
                rep.send(Leg.JSON.createObjectNode().put("type",
                        "conversation.item.input_audio_transcription.completed").put("item_id", "item_c")
                        .put("transcript", "too expensive"));
                rep.send(suggestion("sug_c", "item_c"));
            }
        });
        var call = open(plan(LoadOptions.Mode.COACH, LoadOptions.Input.SPEECH, 2, script,
                List.of(agentAudio, customerAudio)));

        var record = finish(call);

        var rep = gateway.rep("call_t");
        var customer = gateway.connections.stream().filter(c -> "customer".equals(c.role)).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> rep.closeCode == 1000 && customer.closeCode == 1000);
        var repAppends = rep.frames("input_audio_buffer.append");
        var customerAppends = customer.frames("input_audio_buffer.append");
        assertThat(repAppends).hasSize(record.frames).allSatisfy(f ->
                assertThat(f.path("voicecoach").path("track").asText()).isEqualTo("agent"));
        assertThat(customerAppends).hasSize(record.frames).allSatisfy(f ->
                assertThat(f.path("voicecoach").path("track").asText()).isEqualTo("customer"));
        String silence = AppendFrames.silence(Script.CUSTOMER);
        assertThat(customerAppends.subList(0, 4)).as("the customer is silent while the rep speaks")
                .allSatisfy(f -> assertThat(f).isEqualTo(readTree(silence)));
        assertThat(customerAppends.get(5)).isEqualTo(readTree(customerAudio.frames().get(1)));
        assertThat(repAppends.get(5)).isEqualTo(readTree(AppendFrames.silence(Script.AGENT)));

        var turn = record.turns.get(1);
        assertThat(turn.speechStartMs).isEqualTo(500);
        assertThat(turn.speechEndMs).isEqualTo(920);
        assertThat(turn.sentNanos).as("the frame holding the last speech sample, 900-1000 ms")
                .isEqualTo(record.frameSentNanos[9]);
        assertThat(record.turnOf("item_c")).isSameAs(turn);
        assertThat(record.stoppedSpeakingNanos("item_c", turn)).isEqualTo(record.frameSentNanos[9]);
        assertThat(record.utterances.get("item_c").transcript).isEqualTo("too expensive");
        assertThat(counters.framesLate.sum()).isZero();
        assertThat(counters.framesSent.sum()).isEqualTo(2L * record.frames);
    }

    @Test
    void theCallerWaitsForTheAgentsReplyBeforeTheNextTurn() {
        var script = new Script(List.of(new Script.Turn(1, Script.CUSTOMER, "Book an oil change.", null, null),
                new Script.Turn(2, Script.CUSTOMER, "Thanks.", null, null)));
        var waiting = new AtomicReference<FakeGateway.Connection>();
        gateway.react((connection, frame) -> {
            if (frame.path("type").asText().equals("conversation.item.create")) {
                waiting.set(connection);
            }
        });
        var call = open(plan(LoadOptions.Mode.AGENT, LoadOptions.Input.TEXT, 2, script, List.of()));
        assertThat(gateway.connections).as("one leg: the caller").hasSize(1);
        var caller = gateway.connections.getFirst();
        assertThat(caller.frames("session.update").getFirst().path("session").path("voicecoach").path("mode")
                .asText()).isEqualTo("agent");

        tick(call, 15); // four words take 1,500 ms: sent with the 15th frame
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() != null);
        tick(call, 50);
        assertThat(caller.frames("conversation.item.create")).as("no second turn before the reply").hasSize(1);

        caller.send(Leg.JSON.createObjectNode().put("type", "response.created").set("response",
                Leg.JSON.createObjectNode().put("id", "resp_1")));
        caller.send(Leg.JSON.createObjectNode().put("type", "response.output_text.delta").put("response_id", "resp_1")
                .put("delta", "Sure"));
        caller.send(Leg.JSON.createObjectNode().put("type", "response.function_call_arguments.done")
                .put("response_id", "resp_1").put("name", "lookup_customer"));
        caller.send(Leg.JSON.createObjectNode().put("type", "response.done").set("response",
                Leg.JSON.createObjectNode().put("id", "resp_1").put("status", "completed")));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            tick(call, 1);
            return caller.frames("conversation.item.create").size() == 2;
        });
        tick(call, 20);
        caller.send(Leg.JSON.createObjectNode().put("type", "response.created").set("response",
                Leg.JSON.createObjectNode().put("id", "resp_2")));
        caller.send(Leg.JSON.createObjectNode().put("type", "response.done").set("response",
                Leg.JSON.createObjectNode().put("id", "resp_2").put("status", "completed")));
        var record = finish(call);

        var first = record.turns.get(0).reply;
        assertThat(first.responseId).isEqualTo("resp_1");
        assertThat(first.functionCalls).isEqualTo(1);
        assertThat(first.firstDeltaNanos).isNotEqualTo(CallRecord.NONE);
        assertThat(first.status).isEqualTo("completed");
        assertThat(record.turns.get(1).reply.responseId).isEqualTo("resp_2");
    }

    @Test
    void aCallWindingDownEndsAfterTheTurnItIsInAndIsNotAFailure() {
        var script = new Script(List.of(new Script.Turn(1, Script.AGENT, "Hello there.", null, null),
                new Script.Turn(2, Script.CUSTOMER, "Hi.", null, null),
                new Script.Turn(3, Script.AGENT, "Goodbye.", null, null)));
        var call = open(plan(LoadOptions.Mode.COACH, LoadOptions.Input.TEXT, 1, script, List.of()));
        var leg = gateway.connections.getFirst();

        tick(call, 3);
        call.windDown();
        var record = finish(call);

        await().atMost(Duration.ofSeconds(10)).until(() -> leg.closeCode == 1000);
        assertThat(leg.frames("conversation.item.create")).as("the turn in progress is finished, no other")
                .singleElement().satisfies(item -> assertThat(item.path("voicecoach").path("track").asText())
                        .isEqualTo("agent"));
        assertThat(record.turns).hasSize(1);
        assertThat(record.failure).isNull();
        assertThat(counters.callsCompleted.sum()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionFailsTheCallWithTheGatewaysStatus() {
        gateway.refuseWith = 429;
        var script = new Script(List.of(new Script.Turn(1, Script.CUSTOMER, "Hello.", null, null)));
        var call = new Call("call_r", plan(LoadOptions.Mode.COACH, LoadOptions.Input.TEXT, 2, script, List.of()),
                counters, new LiveStats(), done::set);
        call.open();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            call.tick(now);
            return call.state() == Call.State.DONE;
        });

        assertThat(done.get().failure).contains("HTTP 429");
        assertThat(counters.errorsByCode()).containsKey("http_429");
        assertThat(counters.callsFailed.sum()).isEqualTo(1);
    }

    private static JsonNode readTree(String json) {
        try {
            return Leg.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tone(int silenceMs, int toneMs, int afterMs) {
        int rate = SpeechCache.RATE;
        var out = new byte[(silenceMs + toneMs + afterMs) * rate / 1000 * 2];
        for (int i = silenceMs * rate / 1000; i < (silenceMs + toneMs) * rate / 1000; i++) {
            short sample = (short) (12000 * Math.sin(2 * Math.PI * 300 * i / rate));
            out[2 * i] = (byte) sample;
            out[2 * i + 1] = (byte) (sample >> 8);
        }
        return out;
    }
}
