package io.voicecoach.bench.coaching;

import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.llm.LlmConfig;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.nudge.NudgeSettings;
import io.voicecoach.coaching.session.StateJson;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap held per live coaching session: the per-session state of coaching-service's own classes (NudgeState: talk-time
 * segments of both tracks, monologue, questions, cool-downs; Conversations: the turns kept for LLM prompts and the
 * summary, up to {@code max(history-chars, summary-history-chars)} = 24,000 characters), held as the JSON its
 * in-memory state stores keep (their changelog topics hold the same bytes), filled with a scripted
 * call of {@code bench.turns} turns (default 160: ~10 minutes of alternating 3-4 s turns, ~90 characters each).
 * Prints used heap after full GCs with 0 sessions and with each N of {@code bench.sessions} (default 1000,5000).
 * Stage/compliance tracking (CallProgress's per-session stage name and two small sets) needs the CDI container and is
 * not included. Run with a fixed heap, e.g. {@code -Xmx2g}.
 */
public final class SessionMemoryBench {

    private static final String[] CUSTOMER = {
            "We have about forty reps and most of them are fairly new to the job this year.",
            "Honestly the onboarding takes too long and the managers cannot listen to every call.",
            "How would this work with the phone system we already have in the office today?",
            "That sounds interesting, but I would need to see how the reports look first."};
    private static final String[] REP = {
            "Got it, and how do your managers coach the new reps at the moment, if at all?",
            "Many teams we work with had the same problem when they doubled their headcount.",
            "It plugs into the softphone, so nothing changes for the reps on their side.",
            "Sure, I can share a sample report with you right after this call if that helps."};

    public static void main(String[] args) {
        int turns = Integer.getInteger("bench.turns", 160);
        var levels = java.util.Arrays.stream(System.getProperty("bench.sessions", "1000,5000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int capacity = java.util.Arrays.stream(levels).max().orElse(1000) + 1;
        System.out.printf(Locale.ROOT, "per session: %d final transcripts (both tracks); JVM max heap %d MiB%n", turns,
                Runtime.getRuntime().maxMemory() >> 20);
        long base = usedAfterGc();
        System.out.printf(Locale.ROOT, "0 sessions: used heap %.1f MiB%n", base / 1048576.0);
        for (int sessions : levels) {
            var nudges = new NudgeEngine(new NudgeSettings(true, java.time.Duration.ofMinutes(3), 0.65,
                    java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(60), java.time.Duration.ofMinutes(5), 3,
                    java.time.Duration.ofMinutes(2), java.time.Duration.ofMinutes(2), 3, java.time.Duration.ofSeconds(15)));
            var conversations = new Conversations(
                    config(LlmConfig.class, Map.of("historyChars", 6000, "summaryHistoryChars", 24000)));
            var stores = new HashMap<String, byte[][]>(capacity);
            for (int s = 0; s < sessions; s++) {
                stores.put("tenant-" + (s % 10) + "/session-" + s, fill(nudges, conversations, "session-" + s, turns));
            }
            long used = usedAfterGc();
            System.out.printf(Locale.ROOT, "%d sessions: used heap %.1f MiB, %.1f MiB per 1,000 sessions (%.1f KiB each)%n",
                    sessions, used / 1048576.0, (used - base) / 1048576.0 * 1000 / sessions,
                    (used - base) / 1024.0 / sessions);
            reachable(stores);
        }
    }

    /** One session's nudge state and conversation, as the stores hold them. */
    private static byte[][] fill(NudgeEngine nudges, Conversations conversations, String session, int turns) {
        var state = nudges.newState();
        var said = new ArrayList<Conversations.Turn>();
        long at = 0;
        for (int t = 0; t < turns; t++) {
            boolean rep = t % 2 == 0;
            String text = String.valueOf((rep ? REP : CUSTOMER)[(t / 2) % 4].toCharArray()); // own copy, like a decoded transcript
            long length = 3000 + (t % 3) * 500L;
            var transcript = new Transcript(session + "-" + t, rep ? Track.AGENT : Track.CUSTOMER, text, true, at,
                    at + length, 0.9, "bench", Instant.now());
            nudges.onFinalTranscript(state, false, transcript, Instant.now());
            conversations.record(said, new Conversations.Turn(rep ? "rep" : "customer", text));
            at += length + 400;
        }
        return new byte[][]{StateJson.write(state), StateJson.write(said)};
    }

    /** A configuration interface answering the given methods; any other method returns null. */
    @SuppressWarnings("unchecked")
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (proxy, method, a) -> values.get(method.getName()));
    }

    private static long usedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Keeps the state reachable until after the measurement. */
    private static void reachable(Object... state) {
        if (state.length < 0) {
            System.out.println(java.util.Arrays.toString(state));
        }
    }

    private SessionMemoryBench() {
    }
}
