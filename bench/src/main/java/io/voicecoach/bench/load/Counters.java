package io.voicecoach.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of one level, updated from the pacer and the WebSocket threads. */
final class Counters {

    /** Frames handed to the WebSocket (appends and typed items). */
    final LongAdder framesSent = new LongAdder();
    /** Frames the pacer sent more than {@link #LATE_MS} ms after their due time: the load generator fell behind. */
    final LongAdder framesLate = new LongAdder();
    /** Frames that could not be sent (connection gone or the write failed). */
    final LongAdder framesDropped = new LongAdder();
    /** Frames queued behind a write still in progress. */
    final LongAdder sendBacklog = new LongAdder();
    final LongAdder callsStarted = new LongAdder();
    final LongAdder callsFailed = new LongAdder();
    final LongAdder callsCompleted = new LongAdder();
    /** Calls the benchmark ended before their script did, when the ramp-down took longer than allowed. */
    final LongAdder callsHungUp = new LongAdder();

    static final long LATE_MS = 50;

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    /** A server {@code error} event, an abnormal close, a refused connection..., by code. */
    void error(String code, String detail) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        examples.putIfAbsent(code, detail);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errorsByCode() {
        var out = new TreeMap<String, Long>();
        errors.forEach((code, count) -> out.put(code, count.sum()));
        return out;
    }

    /** One message per error code, as first seen. */
    Map<String, String> errorExamples() {
        return new TreeMap<>(examples);
    }
}
