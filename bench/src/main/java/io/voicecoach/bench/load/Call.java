package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One simulated call: its legs, and a clock of 100 ms frames driven by {@link #tick}. Turns follow the script: each
 * turn's speech is streamed on its track at real-time pace while the other track streams silence (speech input), or
 * the turn is sent as a typed item when saying it would have ended (text input). The next turn starts a gap after
 * the previous one ended; for the voice agent, a gap after the agent's reply is done (or the wait timed out). After
 * the last turn the call stays up until nothing is due any more (at most the tail), then closes normally.
 */
final class Call implements Leg.Receiver {

    static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(AppendFrames.FRAME_MS);
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP (\\d{3})");

    enum State { OPENING, PLAYING, DONE }

    private final CallPlan plan;
    private final Counters counters;
    private final Consumer<CallRecord> onDone;
    private final LiveStats live;
    private final CallRecord record;
    private final List<String> tracks;
    private final List<String> silence;
    private final List<Leg> legs = new ArrayList<>();
    private State state = State.OPENING;
    private boolean ready;
    private String failure;
    private long startNanos;
    private int frame;
    private int turn = -1;
    private int turnStart;
    private int nextStart;
    private int waitUntil = -1;
    private int tailStart = -1;
    private boolean late;
    private boolean windingDown;

    Call(String callId, CallPlan plan, Counters counters, LiveStats live, Consumer<CallRecord> onDone) {
        this.plan = plan;
        this.counters = counters;
        this.live = live;
        this.onDone = onDone;
        this.record = new CallRecord(callId, plan.speech(), plan.agent(), plan.silenceMs());
        this.tracks = plan.script().tracks();
        this.silence = tracks.stream().map(AppendFrames::silence).toList();
    }

    /** Opens the legs: a rep and a customer leg, or one leg for both tracks (and for the voice agent's caller). */
    void open() {
        counters.callsStarted.increment();
        var roles = plan.legs() == 2 ? List.of("rep", "customer") : List.of(plan.agent() ? "customer" : "rep");
        var opening = roles.stream().map(role -> Leg.open(plan.http(), plan.realtime(), plan.apiKey(), role,
                plan.sessionUpdate(record.callId, role), this, counters)).toList();
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            synchronized (this) {
                opening.forEach(future -> future.thenAccept(legs::add));
                if (error != null) {
                    var cause = error.getCause() != null ? error.getCause() : error;
                    failure = "cannot open: " + cause.getMessage();
                    counters.error(connectCode(cause.getMessage()), failure);
                    opening.forEach(future -> future.thenAccept(Leg::abort));
                } else {
                    ready = true;
                }
            }
        });
    }

    static String connectCode(String message) {
        var status = message == null ? null : HTTP_STATUS.matcher(message);
        if (status != null && status.find()) {
            return message.contains("session_limit_reached") ? "session_limit_reached" : "http_" + status.group(1);
        }
        return "connect_failed";
    }

    /** One frame of the call's clock; called every {@value AppendFrames#FRAME_MS} ms from one pacing thread. */
    synchronized void tick(long now) {
        if (state == State.DONE) {
            return;
        }
        if (state == State.OPENING) {
            if (failure != null) {
                finish();
            } else if (ready) {
                state = State.PLAYING;
                startNanos = now;
                record.openedNanos = now;
            }
            if (state != State.PLAYING) {
                return;
            }
        }
        if (failure != null) {
            legs.forEach(Leg::close); // the other leg of a call the gateway closed
            finish();
            return;
        }
        late = now - (startNanos + frame * FRAME_NANOS) > TimeUnit.MILLISECONDS.toNanos(Counters.LATE_MS);
        record.frameSent(frame, now);
        if (frame == nextStart) {
            beginTurn();
        }
        if (plan.speech()) {
            sendAudio();
        }
        if (turn >= 0 && tailStart < 0) {
            endOfTurn(now);
        }
        if (tailStart >= 0 && tailOver()) {
            legs.forEach(Leg::close);
            finish();
            return;
        }
        frame++;
    }

    private void beginTurn() {
        turn++;
        if (turn >= plan.script().turns().size() || windingDown) {
            tailStart = frame;
            return;
        }
        turnStart = frame;
        int[] speech = plan.speechMillis(turn);
        long base = (long) frame * AppendFrames.FRAME_MS;
        var script = plan.script().turns().get(turn);
        record.turns.add(new CallRecord.Turn(script, frame, base + speech[0], base + speech[1],
                plan.speech() ? null : record.callId + "_t" + script.number()));
    }

    private void sendAudio() {
        boolean speaking = turn >= 0 && tailStart < 0 && frame - turnStart < plan.frames(turn);
        String speakingTrack = speaking ? plan.script().turns().get(turn).track() : null;
        for (int i = 0; i < tracks.size(); i++) {
            String track = tracks.get(i);
            String audio = track.equals(speakingTrack) ? plan.audio().get(turn).frames().get(frame - turnStart)
                    : silence.get(i);
            send(leg(track), audio);
        }
        if (speaking) {
            var current = record.turns.get(turn);
            if (current.sentNanos == CallRecord.NONE && (frame + 1L) * AppendFrames.FRAME_MS >= current.speechEndMs) {
                current.sentNanos = record.frameSentNanos[frame];
            }
        }
    }

    /** After the turn's last frame: send a typed turn, and decide when the next turn starts. */
    private void endOfTurn(long now) {
        var current = record.turns.get(turn);
        int last = turnStart + plan.frames(turn) - 1;
        if (frame == last) {
            if (!plan.speech()) {
                send(leg(current.script.track()), itemCreate(current));
                current.sentNanos = now;
            }
            if (plan.agent()) {
                waitUntil = frame + plan.replyFrames();
                nextStart = -1;
            } else {
                nextStart = frame + 1 + plan.gapFrames();
            }
        } else if (waitUntil >= 0 && frame > last) {
            boolean answered = current.reply != null && current.reply.doneNanos != CallRecord.NONE;
            if (answered || frame >= waitUntil) {
                waitUntil = -1;
                nextStart = frame + 1 + plan.gapFrames();
            }
        }
    }

    private boolean tailOver() {
        int elapsed = frame - tailStart;
        int least = (plan.speech() ? plan.silenceMs() + 1000 : 500) / AppendFrames.FRAME_MS;
        return elapsed >= plan.tailFrames() || elapsed >= least && !somethingDue();
    }

    /** A committed utterance without its transcript, or (typed coaching) an expected suggestion still missing. */
    private boolean somethingDue() {
        for (var utterance : record.utterances.values()) {
            if (utterance.failure == null && utterance.transcriptNanos == CallRecord.NONE) {
                return true;
            }
        }
        if (!plan.speech() && !plan.agent()) {
            for (var played : record.turns) {
                if (played.script.expectsSuggestion() && record.suggestions.values().stream()
                        .noneMatch(s -> played.itemId.equals(s.itemId()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void send(Leg leg, String frame) {
        leg.send(frame);
        counters.framesSent.increment();
        if (late) {
            counters.framesLate.increment();
        }
    }

    private Leg leg(String track) {
        return legs.size() == 1 || Script.AGENT.equals(track) ? legs.getFirst() : legs.get(1);
    }

    private String itemCreate(CallRecord.Turn turn) {
        var frame = Leg.JSON.createObjectNode().put("type", "conversation.item.create");
        var item = frame.putObject("item").put("id", turn.itemId).put("type", "message").put("role", "user");
        item.putArray("content").addObject().put("type", "input_text").put("text", turn.script.text());
        frame.putObject("voicecoach").put("track", turn.script.track());
        return frame.toString();
    }

    private void finish() {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        record.failure = failure;
        if (failure != null) {
            counters.callsFailed.increment();
        } else if (record.hungUp) {
            counters.callsHungUp.increment();
        } else {
            counters.callsCompleted.increment();
        }
        onDone.accept(record);
    }

    synchronized State state() {
        return state;
    }

    /** The level is ramping down: the call ends after the turn it is in (and what is due for it). */
    synchronized void windDown() {
        windingDown = true;
    }

    /** Ends the call now (the ramp-down took too long): closes its legs normally. Not a failure. */
    synchronized void hangUp() {
        if (state != State.DONE) {
            record.hungUp = state == State.PLAYING && tailStart < 0;
            legs.forEach(Leg::close);
            finish();
        }
    }

    @Override
    public synchronized void onFrame(Leg leg, JsonNode frame, long nanos) {
        String type = frame.path("type").asText();
        String itemId = frame.path("item_id").asText(null);
        switch (type) {
            case "input_audio_buffer.speech_started" -> {
                var utterance = record.utterance(itemId);
                utterance.track = frame.path("voicecoach").path("track").asText(leg.role.equals("rep")
                        && plan.legs() == 2 ? Script.AGENT : Script.CUSTOMER);
                utterance.audioStartMs = frame.path("audio_start_ms").asLong(-1);
            }
            case "input_audio_buffer.speech_stopped" -> {
                var utterance = record.utterance(itemId);
                utterance.audioEndMs = frame.path("audio_end_ms").asLong(-1);
                utterance.stoppedNanos = nanos;
            }
            case "input_audio_buffer.committed" -> {
                var utterance = record.utterance(itemId);
                if (utterance.committedNanos == CallRecord.NONE) {
                    utterance.committedNanos = nanos;
                }
            }
            case "conversation.item.input_audio_transcription.completed" -> {
                // on the rep's leg it may overtake the customer leg's VAD events of the same item
                var utterance = record.utterance(itemId);
                if (utterance.transcriptNanos == CallRecord.NONE) {
                    utterance.transcriptNanos = nanos;
                    utterance.transcript = frame.path("transcript").asText();
                }
            }
            case "conversation.item.input_audio_transcription.failed" -> {
                String code = frame.path("error").path("code").asText("unknown");
                var utterance = record.utterance(itemId);
                if (utterance.failure == null) {
                    utterance.failure = code;
                    counters.error("transcription_" + code, frame.path("error").path("message").asText());
                }
            }
            case "voicecoach.coaching.suggestion" -> suggestion(frame.path("suggestion"), nanos);
            case "response.created" -> replyCreated(frame.path("response").path("id").asText(), nanos);
            case "response.output_text.delta", "response.text.delta", "response.output_audio_transcript.delta",
                 "response.audio_transcript.delta" -> {
                var reply = reply(frame.path("response_id").asText());
                if (reply != null && reply.firstDeltaNanos == CallRecord.NONE) {
                    reply.firstDeltaNanos = nanos;
                    replyLatency(reply, nanos);
                }
            }
            case "response.function_call_arguments.done" -> {
                var reply = reply(frame.path("response_id").asText());
                if (reply != null) {
                    reply.functionCalls++;
                }
            }
            case "response.done" -> {
                var reply = reply(frame.path("response").path("id").asText());
                if (reply != null && reply.doneNanos == CallRecord.NONE) {
                    reply.doneNanos = nanos;
                    reply.status = frame.path("response").path("status").asText();
                }
            }
            case "error" -> counters.error(frame.path("error").path("code").asText("unknown"),
                    frame.path("error").path("message").asText());
            default -> {
            }
        }
    }

    private void suggestion(JsonNode body, long nanos) {
        String id = body.path("id").asText();
        if (record.suggestions.containsKey(id)) {
            counters.error("duplicate_suggestion", id);
            return;
        }
        var timings = body.path("timings");
        String itemId = body.path("item_id").asText(null);
        record.suggestions.put(id, new CallRecord.Suggestion(id, itemId,
                body.path("kind").asText(), body.path("category").asText(), body.path("source").asText(), nanos,
                instant(timings.path("received_at")), instant(timings.path("transcript_at")),
                instant(timings.path("suggested_at"))));
        var turn = record.turnOf(itemId);
        if (turn != null && Script.CUSTOMER.equals(turn.script.track())) {
            long stopped = record.stoppedSpeakingNanos(itemId, turn);
            if (stopped != CallRecord.NONE) {
                live.add((nanos - stopped) / 1e6);
            }
        }
    }

    private static Instant instant(JsonNode value) {
        return value.isTextual() ? Instant.parse(value.asText()) : null;
    }

    /** The reply belongs to the turn waiting for one: the caller goes on only after it (or after the wait). */
    private void replyCreated(String responseId, long nanos) {
        for (int i = record.turns.size() - 1; i >= 0; i--) {
            var played = record.turns.get(i);
            if (played.sentNanos != CallRecord.NONE && played.reply == null) {
                played.reply = new CallRecord.Reply(responseId, nanos);
                return;
            }
        }
        counters.error("unexpected_response", responseId);
    }

    private void replyLatency(CallRecord.Reply reply, long nanos) {
        for (var played : record.turns) {
            if (played.reply == reply && played.sentNanos != CallRecord.NONE) {
                live.add((nanos - played.sentNanos) / 1e6);
            }
        }
    }

    private CallRecord.Reply reply(String responseId) {
        for (var played : record.turns) {
            if (played.reply != null && played.reply.responseId.equals(responseId)) {
                return played.reply;
            }
        }
        return null;
    }

    @Override
    public void onClosed(Leg leg, int code, String reason) {
        synchronized (this) {
            if (state != State.DONE && code != 1000 && failure == null) {
                failure = "closed by the gateway: " + code + " " + reason;
                counters.error("closed_" + code, failure);
            }
        }
    }
}
