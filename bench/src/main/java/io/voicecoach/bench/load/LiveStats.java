package io.voicecoach.bench.load;

import io.voicecoach.bench.Summary;

import java.util.ArrayDeque;

/** The headline latency of the level so far (all phases), for the progress line: the most recent values only. */
final class LiveStats {

    private static final int KEPT = 5_000;
    private final ArrayDeque<Double> recent = new ArrayDeque<>();
    private long count;

    synchronized void add(double millis) {
        count++;
        recent.addLast(millis);
        if (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    synchronized long count() {
        return count;
    }

    synchronized Summary summary() {
        return Summary.of(recent);
    }
}
