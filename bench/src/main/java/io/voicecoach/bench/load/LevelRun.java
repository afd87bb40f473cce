package io.voicecoach.bench.load;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * One level of the curve: ramp up to N concurrent calls, hold them for the steady window (a call that ends is
 * replaced at once), then let the last calls finish. One pacing thread drives every call's 100 ms clock, the calls
 * spread over ten 10 ms phases so their frames do not all leave at once.
 */
final class LevelRun {

    private static final int PHASES = AppendFrames.FRAME_MS / 10;
    static final String AUDIO_PUBLISH = "voicecoach_gateway_audio_publish_seconds";

    private final LoadOptions options;
    private final CallPlan plan;
    private final SuiteProbe suite;
    private final String runId;
    private final List<List<Call>> phases = new ArrayList<>();
    private final ConcurrentLinkedQueue<CallRecord> finished = new ConcurrentLinkedQueue<>();
    private final Counters counters = new Counters();
    private final LiveStats live = new LiveStats();
    private volatile boolean pacing = true;
    private int started;

    /** Where the suite runs and how to look at it; shared by the levels of a run. */
    record SuiteProbe(ProcessTable processes, List<URI> gatewayMetrics, DeliveryTap deliveries, long readyNanos,
                      boolean startedHere) {
    }

    LevelRun(LoadOptions options, CallPlan plan, SuiteProbe suite, String runId) {
        this.options = options;
        this.plan = plan;
        this.suite = suite;
        this.runId = runId;
        for (int i = 0; i < PHASES; i++) {
            phases.add(new CopyOnWriteArrayList<>());
        }
    }

    /** What is read at the edges of the steady window; the level's figures are the differences. */
    private record Edge(Instant at, long frames, Map<String, ProcessTable.Usage> usage,
                        PrometheusHistogram audioPublish) {
    }

    private Edge edge(EpochClock clock, long now) {
        return new Edge(clock.instant(now), counters.framesSent.sum(), suite.processes().sample(),
                PrometheusHistogram.scrape(plan.http(), suite.gatewayMetrics(), AUDIO_PUBLISH));
    }

    LevelResult run(int calls, boolean first) throws Exception {
        var pacer = Thread.ofPlatform().name("pacer").start(this::pace);
        var clock = new EpochClock();
        long begin = System.nanoTime();
        long rampEnd = begin + options.rampUp().toNanos();
        long steadyEnd = rampEnd + options.steady().toNanos();
        var firstCall = new CallRecord[1];
        Edge[] edges = new Edge[2];
        List<Path> profiles = new ArrayList<>();
        System.out.printf("level %d: %d call(s) of %s, %d leg(s) each; ramp-up %d s, steady %d s%n", calls, calls,
                options.label(), plan.legs(), options.rampUp().toSeconds(), options.steady().toSeconds());
        drive(calls, begin, rampEnd, steadyEnd, first ? firstCall : null, now -> {
            if (edges[0] == null && now >= rampEnd) {
                edges[0] = edge(clock, now);
                if (options.jfr().isPresent()) {
                    profiles.addAll(Profiler.start(suite.processes(), options.jfr().get(),
                            options.steady().toSeconds(), options.label() + "-" + calls));
                }
            }
            if (edges[1] == null && now >= steadyEnd) {
                edges[1] = edge(clock, now);
                phases.forEach(phase -> phase.forEach(Call::windDown));
                System.out.printf("  steady window over; %d call(s) end after their current turn (at most %d s)%n",
                        active(), options.rampDownMax().toSeconds());
            }
        });
        phases.forEach(phase -> phase.forEach(Call::hangUp));
        pacing = false;
        pacer.join();

        var samples = new LevelSamples(rampEnd, steadyEnd);
        finished.forEach(record -> samples.add(record, clock));
        addDeliveries(samples);
        double seconds = (steadyEnd - rampEnd) / 1e9;
        var latency = new LinkedHashMap<String, LevelResult.HopResult>();
        var publish = edges[1].audioPublish().minus(edges[0].audioPublish());
        if (publish.count() > 0) {
            latency.put(Hop.FRAME_TO_KAFKA.name(), new LevelResult.HopResult(Hop.FRAME_TO_KAFKA.span,
                    Hop.FRAME_TO_KAFKA.clocks + " (bucket upper bounds)", (int) publish.count(),
                    publish.quantile(0.5) * 1000, publish.quantile(0.95) * 1000, publish.quantile(0.99) * 1000,
                    Double.NaN));
        }
        samples.summaries().forEach((hop, summary) -> latency.put(hop.name(), LevelResult.HopResult.of(hop, summary)));
        var analytics = options.analytics().map(uri -> AnalyticsLatency.fetch(plan.http(), uri, options.apiKey(),
                plan.repId(), clock.instant(begin).truncatedTo(ChronoUnit.MILLIS), Instant.now(),
                Duration.ofSeconds(20))).orElse(null);
        var result = new LevelResult(calls, options.label(), plan.legs(), edges[0].at().toString(), seconds,
                samples.calls(), counters.callsStarted.sum(), counters.callsCompleted.sum(),
                counters.callsHungUp.sum(), counters.callsFailed.sum(),
                (edges[1].frames() - edges[0].frames()) / seconds, counters.framesSent.sum(),
                counters.framesLate.sum(), counters.framesDropped.sum(), counters.sendBacklog.sum(),
                counters.errorsByCode(), counters.errorExamples(), latency, samples.detection(), samples.replies(),
                services(edges[0].usage(), edges[1].usage(), seconds, calls), loadAverage(), analytics,
                first ? firstCall(firstCall[0], clock) : null, profiles.stream().map(Path::toString).toList(), null);
        return result.withBound(bound(result));
    }

    /**
     * Opens calls to follow the ramp (then replaces the ones that end, at most at the ramp's rate), prints the
     * progress, hands every moment to {@code atWindowEdges}, until the ramp-down is over.
     */
    private void drive(int calls, long begin, long rampEnd, long steadyEnd, CallRecord[] firstCallSink,
                       LongConsumer atWindowEdges) throws InterruptedException {
        double replacementPerS = Math.max(1, calls / Math.max(1.0, options.rampUp().toSeconds()));
        long nextReplacement = begin;
        long nextProgress = begin + options.progressEvery().toNanos();
        long lastFrames = 0;
        long lastProgress = begin;
        while (true) {
            long now = System.nanoTime();
            if (now < steadyEnd) {
                int target = now < rampEnd
                        ? (int) Math.min(calls, 1 + (now - begin) * calls / Math.max(1, rampEnd - begin)) : calls;
                while (active() < target && (started < calls || now >= nextReplacement)) {
                    startCall(started == 0 ? firstCallSink : null);
                    if (started > calls) {
                        nextReplacement = now + (long) (1e9 / replacementPerS);
                    }
                }
            }
            atWindowEdges.accept(now);
            if (now >= nextProgress) {
                long frames = counters.framesSent.sum();
                progress(now, begin, rampEnd, steadyEnd, (frames - lastFrames) / ((now - lastProgress) / 1e9));
                lastFrames = frames;
                lastProgress = now;
                nextProgress = now + options.progressEvery().toNanos();
            }
            if (now >= steadyEnd && (active() == 0 || now > steadyEnd + options.rampDownMax().toNanos())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void startCall(CallRecord[] firstCallSink) {
        String callId = runId + "_" + (++started);
        var call = new Call(callId, plan, counters, live, record -> {
            finished.add(record);
            if (firstCallSink != null) {
                firstCallSink[0] = record;
            }
        });
        phases.stream().min(Comparator.comparingInt(List::size)).orElseThrow().add(call);
        call.open();
    }

    private long active() {
        return phases.stream().mapToLong(phase -> phase.stream().filter(c -> c.state() != Call.State.DONE).count())
                .sum();
    }

    private long playing() {
        return phases.stream().mapToLong(phase -> phase.stream().filter(c -> c.state() == Call.State.PLAYING)
                .count()).sum();
    }

    /** Every 10 ms, the calls of one phase get their frame; finished calls leave. */
    private void pace() {
        long start = System.nanoTime();
        long tick = 0;
        while (pacing) {
            long due = start + tick * TimeUnit.MILLISECONDS.toNanos(10);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            var phase = phases.get((int) (tick % PHASES));
            long now = System.nanoTime();
            for (var call : phase) {
                call.tick(now);
            }
            phase.removeIf(call -> call.state() == Call.State.DONE);
            tick++;
        }
    }

    private void progress(long now, long begin, long rampEnd, long steadyEnd, double framesPerSecond) {
        String phase = now < rampEnd ? "ramp-up" : now < steadyEnd ? "steady" : "ramp-down";
        var latency = live.summary();
        System.out.printf("  [%4.0f s %-9s] calls up %d, %,.0f frames/s, %s p95 so far %s ms (n %d), errors %d, "
                        + "late frames %d, dropped %d%n",
                (now - begin) / 1e9, phase, playing(), framesPerSecond, plan.agent() ? "first reply delta" : "e2e",
                Double.isNaN(latency.p95()) ? "-" : String.format("%.0f", latency.p95()), live.count(),
                counters.errorCount(), counters.framesLate.sum(), counters.framesDropped.sum());
    }

    private void addDeliveries(LevelSamples samples) throws InterruptedException {
        if (suite.deliveries() == null) {
            return;
        }
        TimeUnit.SECONDS.sleep(1); // the last receipts are a Kafka hop behind
        for (var delivery : samples.deliveries()) {
            var delivered = suite.deliveries().deliveredAt(delivery.suggestionId());
            if (delivered != null) {
                samples.add(Hop.SUGGESTION_TO_WRITTEN,
                        Duration.between(delivery.suggestedAt(), delivered).toNanos() / 1e6);
            }
        }
    }

    private static Map<String, LevelResult.ServiceResult> services(Map<String, ProcessTable.Usage> before,
                                                                 Map<String, ProcessTable.Usage> after,
                                                                 double seconds, int calls) {
        var out = new LinkedHashMap<String, LevelResult.ServiceResult>();
        after.forEach((service, end) -> {
            var start = before.get(service);
            if (start == null) {
                return;
            }
            double cores = (end.cpuMillis() - start.cpuMillis()) / 1000.0 / seconds;
            out.put(service, new LevelResult.ServiceResult(end.instances(), cores, cores * 1000 / calls,
                    end.rssBytes() / (1024.0 * 1024)));
        });
        return out;
    }

    /**
     * The first customer turn of the run's first call that got an answer (a suggestion, or the agent's first reply
     * delta), with its hops: on a freshly started suite, what its first user waits.
     */
    private LevelResult.FirstCall firstCall(CallRecord call, EpochClock clock) {
        if (call == null) {
            return null;
        }
        for (var turn : call.turns) {
            if (turn.reply != null && turn.reply.firstDeltaNanos != CallRecord.NONE) {
                return new LevelResult.FirstCall(suite.startedHere(), turn.script.number(),
                        (turn.sentNanos - suite.readyNanos()) / 1e9,
                        (turn.reply.firstDeltaNanos - turn.sentNanos) / 1e6,
                        Map.of());
            }
            for (var suggestion : call.suggestions.values()) {
                if (call.turnOf(suggestion.itemId()) != turn || !Script.CUSTOMER.equals(turn.script.track())) {
                    continue;
                }
                long stopped = call.stoppedSpeakingNanos(suggestion.itemId(), turn);
                var hops = new LinkedHashMap<String, Double>();
                LevelSamples.hops(call, suggestion, stopped, clock).forEach((hop, ms) -> hops.put(hop.name(), ms));
                return new LevelResult.FirstCall(suite.startedHere(), turn.script.number(),
                        (stopped - suite.readyNanos()) / 1e9, (suggestion.receivedNanos() - stopped) / 1e6, hops);
            }
        }
        return null;
    }

    private String bound(LevelResult result) {
        var headline = result.hop(plan.agent() ? Hop.AGENT_FIRST_DELTA : Hop.END_TO_END);
        if (result.callsStarted() > 0 && result.callsFailed() * 100 > result.callsStarted()) {
            return String.format("%d of %d calls failed (%s)", result.callsFailed(), result.callsStarted(),
                    result.errors());
        }
        if (result.framesSent() > 0 && result.framesLate() * 100 > result.framesSent()) {
            return String.format("the load generator fell behind: %d of %d frames late", result.framesLate(),
                    result.framesSent());
        }
        if (headline == null || headline.count() == 0) {
            return "nothing measured in the steady window";
        }
        if (headline.p95() > options.maxP95Ms()) {
            return String.format("%s p95 %.0f ms > %.0f ms", plan.agent() ? "first reply delta" : "end-to-end",
                    headline.p95(), options.maxP95Ms());
        }
        var detection = result.detection();
        if (!plan.agent() && detection.expected() > 0 && detection.missed() * 2 > detection.expected()) {
            return String.format("more than half of the expected suggestions missing (%d of %d)", detection.missed(),
                    detection.expected());
        }
        return null;
    }

    private static String loadAverage() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
