package io.voicecoach.bench.load;

import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What the first user of a freshly started suite sees: one session, one typed customer objection, its suggestion (as
 * a new user tried it with the OpenAI Node SDK right after {@code ./voicecoach up}). Run twice in a row on new
 * sessions, so the second shows what the same turn costs once the suite has served one.
 */
final class ColdProbe {

    static final Script SCRIPT = new Script(List.of(new Script.Turn(1, Script.CUSTOMER,
            "Honestly the price is too high for us this quarter.", "objection", "price")));

    /**
     * One probe's answer.
     *
     * @param secondsAfterReady when the objection was sent, seconds after the suite was ready
     * @param endToEndMs        typed objection sent -> suggestion frame received, NaN if none came
     * @param hopsMs            the same suggestion's hops, by {@link Hop} name
     */
    record Probe(double secondsAfterReady, double endToEndMs, Map<String, Double> hopsMs) {
    }

    static Probe run(LoadOptions options, HttpClient http, String repId, long readyNanos) {
        var plan = new CallPlan(options.realtimeUrl(), options.apiKey(), http, LoadOptions.Mode.COACH,
                LoadOptions.Input.TEXT, 1, SCRIPT, List.of(), options.silenceMs(), repId, 0, 0, 300);
        var done = new AtomicReference<CallRecord>();
        var call = new Call(repId + "_probe_" + System.nanoTime(), plan, new Counters(), new LiveStats(), done::set);
        call.open();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long next = System.nanoTime();
        while (call.state() != Call.State.DONE && System.nanoTime() < deadline) {
            call.tick(System.nanoTime());
            next += Call.FRAME_NANOS;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        call.hangUp();
        var record = done.get();
        if (record == null || record.turns.isEmpty() || record.suggestions.isEmpty()) {
            return new Probe(Double.NaN, Double.NaN, Map.of());
        }
        var turn = record.turns.getFirst();
        var suggestion = record.suggestions.values().iterator().next();
        var hops = new LinkedHashMap<String, Double>();
        LevelSamples.hops(record, suggestion, turn.sentNanos, new EpochClock())
                .forEach((hop, ms) -> hops.put(hop.name(), ms));
        return new Probe((turn.sentNanos - readyNanos) / 1e9, (suggestion.receivedNanos() - turn.sentNanos) / 1e6,
                hops);
    }

    static String describe(Probe probe) {
        if (Double.isNaN(probe.endToEndMs())) {
            return "no suggestion within 30 s";
        }
        return String.format("%.0f ms from sending it to the suggestion on screen (sent %.1f s after ready); hops %s",
                probe.endToEndMs(), probe.secondsAfterReady(), probe.hopsMs().entrySet().stream()
                        .filter(e -> !e.getKey().equals(Hop.END_TO_END.name()))
                        .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).toList());
    }

    private ColdProbe() {
    }
}
