package io.voicecoach.systemtest;

import io.voicecoach.devstack.Instance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * One pass of the fault suite's scripted call: a rep session (both tracks spoken by espeak-ng, streamed at real-time
 * pace with server VAD) and a voice-agent session (the caller asks, in typed text, to book a service). The fault is
 * injected just before the rep's customer says {@link #FAULT_AT} (mid-utterance for faults that must hit an
 * utterance in flight); the agent's request goes out right after it. The last spoken line repeats an objection raised
 * before the fault, which a coaching instance that lost the session's state would suggest again. After the spoken
 * turns, once each has its
 * transcript, a typed marker turn follows: its suggestion comes after every suggestion the pipeline produces for the
 * call (same partitions, in order), so when it has arrived the rep has seen all it will see.
 */
final class FaultPass {

    record Line(String track, String text) {
    }

    static final List<Line> SPOKEN = List.of(
            new Line("agent", "thanks for taking the time to talk today"),
            new Line("customer", "honestly the price is too high for us this quarter"),
            new Line("agent", "i understand let me show you what you get for the money"),
            new Line("customer", "we are already working with a competitor"),
            new Line("agent", "what would it take for you to consider a change"),
            new Line("customer", "i need to talk to my manager before we decide anything"),
            new Line("customer", "and the price is too high for us"));
    /** The fault comes before (or, mid-utterance, during) this line. */
    static final int FAULT_AT = 3;
    /**
     * Repeats line 1's objection after the fault: coaching's repeat cool-down holds it back, which it can only do
     * with the session's state carried over to whichever instance owns the call after the fault.
     */
    static final int REPEATED_OBJECTION = 6;
    /** Typed, after the spoken turns; a buying signal, a category no spoken line raises. */
    static final String MARKER = "That makes sense. How soon could we get started, and what does the contract look like?";
    static final String BOOKING = "Hi, I would like to book an oil change for my car please.";
    static final Duration PIPELINE_BOUND = Duration.ofMinutes(3);

    /** What a fault does at its moment and after the faulted line. */
    interface Fault {
        /** Inject mid-utterance (half of the line streamed) rather than before it. */
        default boolean midUtterance() {
            return false;
        }

        /** Injects the fault; returns the instance it killed, if any. */
        Instance inject(FaultPass pass);

        /** After the faulted line was streamed: bring back infrastructure that was stopped. */
        default void afterLine() {
        }
    }

    static final Fault NONE = pass -> null;

    private final String name;
    private final String realtimeUrl;
    private final String apiKey;
    private final List<byte[]> audio;
    final String repId;
    RealtimeAudioClient rep;
    RealtimeAudioClient agent;
    String repSession;
    String agentSession;
    long startNanos;
    long faultNanos = -1;
    Instance killed;
    final String markerItem;

    FaultPass(String name, String realtimeUrl, String apiKey, List<byte[]> audio) {
        this.name = name;
        this.realtimeUrl = realtimeUrl;
        this.apiKey = apiKey;
        this.audio = audio;
        this.repId = "rep_fault_" + name + "_" + UUID.randomUUID().toString().substring(0, 6);
        this.markerItem = "item_marker_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Each line spoken by {@link Speech#VOICE}, with 400 ms of silence before and 900 ms after. */
    static List<byte[]> synthesise() {
        return SPOKEN.stream().map(line -> Speech.concat(Speech.silence(400, RealtimeAudioClient.RATE),
                Speech.pcm(line.text(), RealtimeAudioClient.RATE), Speech.silence(900, RealtimeAudioClient.RATE)))
                .toList();
    }

    String name() {
        return name;
    }

    String repLabel() {
        return "rep-" + name;
    }

    /** Plays the call with {@code fault}; returns once the marker's suggestion and the agent's reply are in. */
    void play(Fault fault) {
        rep = RealtimeAudioClient.connectResuming(realtimeUrl, apiKey, repLabel());
        repSession = rep.awaitSessionId();
        rep.configureServerVad("call_fault_" + name, repId);
        agent = RealtimeAudioClient.connectResuming(realtimeUrl, apiKey, "agent-" + name);
        agentSession = agent.awaitSessionId();
        agent.configureAgent("call_agent_" + name);
        System.out.printf("faults: %s: rep session %s, agent session %s%n", name, repSession, agentSession);
        startNanos = System.nanoTime();
        for (int i = 0; i < SPOKEN.size(); i++) {
            var line = SPOKEN.get(i);
            var pcm = audio.get(i);
            if (i != FAULT_AT) {
                rep.streamRealTime(line.track(), pcm);
                continue;
            }
            if (fault.midUtterance()) {
                int half = pcm.length / 2 / 2 * 2;
                rep.streamRealTime(line.track(), Arrays.copyOfRange(pcm, 0, half));
                inject(fault);
                rep.streamRealTime(line.track(), Arrays.copyOfRange(pcm, half, pcm.length));
            } else {
                inject(fault);
                rep.streamRealTime(line.track(), pcm);
            }
            fault.afterLine();
        }
        await("a transcript of every spoken line of " + name).atMost(PIPELINE_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> spokenItems().size() >= SPOKEN.size() && spokenItems().stream().allMatch(this::transcribed));
        rep.say(markerItem, "customer", MARKER);
        await("the marker's suggestion in " + name).atMost(PIPELINE_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> !suggestionsFor(markerItem).isEmpty());
        await("the voice agent's reply in " + name).atMost(PIPELINE_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> !agent.frames("response.done").isEmpty()
                        && agent.frames("response.done").stream().anyMatch(f -> !"in_progress".equals(
                        f.json().path("response").path("status").asText())));
    }

    private void inject(Fault fault) {
        faultNanos = System.nanoTime();
        killed = fault.inject(this);
        agent.say("item_booking_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), "customer", BOOKING);
    }

    /** Ends both sessions (close 1000: {@code session.ended}). */
    void close() {
        if (rep != null) {
            rep.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    /** The rep's VAD items in the order the gateway committed them (first copy of each). */
    List<String> spokenItems() {
        var items = new LinkedHashSet<String>();
        rep.frames("input_audio_buffer.committed").forEach(f -> items.add(f.json().path("item_id").asText()));
        return List.copyOf(items);
    }

    private boolean transcribed(String itemId) {
        return rep.frames().stream().anyMatch(f -> (f.type().equals("conversation.item.input_audio_transcription.completed")
                || f.type().equals("conversation.item.input_audio_transcription.failed"))
                && itemId.equals(f.json().path("item_id").asText()));
    }

    List<RealtimeAudioClient.Frame> suggestionsFor(String itemId) {
        return rep.frames("voicecoach.coaching.suggestion").stream()
                .filter(f -> itemId.equals(f.json().path("suggestion").path("item_id").asText())).toList();
    }

    /** Line number (0-based; the marker is {@code SPOKEN.size()}) -> "kind/category" of each distinct suggestion. */
    Map<Integer, List<String>> suggestionsByLine() {
        var items = spokenItems();
        var byLine = new LinkedHashMap<Integer, List<String>>();
        var seen = new LinkedHashSet<String>();
        for (var frame : rep.frames("voicecoach.coaching.suggestion")) {
            var suggestion = frame.json().path("suggestion");
            if (!seen.add(suggestion.path("id").asText())) {
                continue;
            }
            String item = suggestion.path("item_id").asText();
            int line = item.equals(markerItem) ? SPOKEN.size() : items.indexOf(item);
            byLine.computeIfAbsent(line, l -> new ArrayList<>())
                    .add(suggestion.path("kind").asText() + "/" + suggestion.path("category").asText());
        }
        byLine.values().forEach(list -> list.sort(String::compareTo));
        return byLine;
    }

    /** Milliseconds from the fault to the first suggestion frame after it; -1 without one. */
    long recoveryMs() {
        return rep.frames("voicecoach.coaching.suggestion").stream().filter(f -> f.receivedAtNanos() > faultNanos)
                .mapToLong(f -> (f.receivedAtNanos() - faultNanos) / 1_000_000).min().orElse(-1);
    }

    /** Milliseconds from the fault to the agent's final {@code response.done}; -1 without one. */
    long agentDoneMs() {
        return agent.frames("response.done").stream().filter(f -> f.receivedAtNanos() > faultNanos)
                .mapToLong(f -> (f.receivedAtNanos() - faultNanos) / 1_000_000).max().orElse(-1);
    }
}
