package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.bench.Summary;

import java.util.List;
import java.util.Map;

/**
 * What one level of the curve measured, as printed and written to JSON. Latencies in milliseconds.
 *
 * @param windowSeconds  length of the steady window everything below is counted in
 * @param callsMeasured  calls with at least one turn inside the window
 * @param callsHungUp    calls still playing when the ramp-down time was over, ended by the benchmark (not failures)
 * @param framesPerSecond frames (appends, typed items) handed to the WebSockets per second in the window
 * @param latency        per hop: what it spans, whose clocks, and its summary
 * @param services       per service: instances, CPU in cores (average over the window), CPU ms per call-second,
 *                       resident memory at the end of the window
 * @param analytics      analytics-service's {@code /api/v1/latency} answer for the level's sessions, or an error
 * @param firstCall      the first call of the run: its first suggestion's end-to-end latency (a cold suite when
 *                       the run started it), null for later levels
 * @param bound          why this level ends the curve, or null when it held
 */
record LevelResult(int calls, String label, int legs, String windowStart, double windowSeconds, int callsMeasured,
                   long callsStarted, long callsCompleted, long callsHungUp, long callsFailed, double framesPerSecond,
                   long framesSent,
                   long framesLate, long framesDropped, long sendBacklog, Map<String, Long> errors,
                   Map<String, String> errorExamples, Map<String, HopResult> latency,
                   LevelSamples.Detection detection, LevelSamples.Replies replies,
                   Map<String, ServiceResult> services, String loadAverage, JsonNode analytics, FirstCall firstCall,
                   List<String> profiles, String bound) {

    record HopResult(String span, String clocks, int count, double p50, double p95, double p99, double max) {
        static HopResult of(Hop hop, Summary summary) {
            return new HopResult(hop.span, hop.clocks, summary.count(), summary.p50(), summary.p95(), summary.p99(),
                    summary.max());
        }
    }

    record ServiceResult(int instances, double cpuCores, double cpuMsPerCallSecond, double rssMiB) {
    }

    /**
     * @param coldSuite            the run started the suite, so this was its first call
     * @param turn                 the script turn that got the first answer
     * @param secondsAfterReady    when its speaker stopped, seconds after the suite (or this run) was ready
     * @param endToEndMs           speaker stopped (turn sent) -> suggestion on screen, or -> first agent reply delta
     * @param hopsMs               the same answer's hops, by {@link Hop} name
     */
    record FirstCall(boolean coldSuite, int turn, double secondsAfterReady, double endToEndMs,
                     Map<String, Double> hopsMs) {
    }

    LevelResult withBound(String why) {
        return new LevelResult(calls, label, legs, windowStart, windowSeconds, callsMeasured, callsStarted,
                callsCompleted, callsHungUp, callsFailed, framesPerSecond, framesSent, framesLate, framesDropped,
                sendBacklog,
                errors, errorExamples, latency, detection, replies, services, loadAverage, analytics, firstCall,
                profiles, why);
    }

    HopResult hop(Hop hop) {
        return latency.get(hop.name());
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
