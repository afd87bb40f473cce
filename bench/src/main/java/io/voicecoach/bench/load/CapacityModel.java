package io.voicecoach.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizing from the measured curve: per process, CPU cores = fixed + per-call x calls, fitted by least squares over the
 * levels that held (the fixed part is what an idle instance spends: polls, timers, GC). Scaled to {@code calls} it
 * gives cores, and pods of {@code podCores} at {@code utilisation}; audio records on {@code voice.audio} scale the
 * same way. A consumer group cannot have more busy members than its topic has partitions, so a service needing more
 * pods than {@code partitions} is flagged.
 */
record CapacityModel(int calls, double podCores, double utilisation, int partitions, Map<String, Service> services,
                     double audioRecordsPerCallSecond, double audioRecordsPerSecond, double audioMegabytesPerSecond) {

    /** Chunk of {@code voice.audio}: 200 ms of 16 kHz PCM16 plus ~0.3 KB of headers (gateway-service README). */
    static final double AUDIO_RECORD_BYTES = 6_400 + 300;

    /**
     * @param fixedCores   cores at zero calls (intercept)
     * @param coresPerCall marginal cores per concurrent call (slope)
     * @param pods         pods of {@code podCores} needed at {@code calls}, at the target utilisation
     */
    record Service(double fixedCores, double coresPerCall, double cores, int pods, boolean morePodsThanPartitions) {
    }

    /** True when the levels can show a cost per call: two or more with different numbers of calls. */
    static boolean fits(List<LevelResult> levels) {
        return levels.stream().mapToInt(LevelResult::calls).distinct().count() >= 2;
    }

    static CapacityModel of(List<LevelResult> levels, int calls, double podCores, double utilisation,
                            int partitions) {
        var held = levels.stream().filter(level -> level.bound() == null).toList();
        var fitted = held.size() >= 2 ? held : levels;
        var services = new LinkedHashMap<String, Service>();
        var names = new ArrayList<String>();
        fitted.forEach(level -> level.services().keySet().stream().filter(n -> !names.contains(n)).forEach(names::add));
        for (String name : names) {
            if (name.equals(ProcessTable.LOAD_GENERATOR) || name.equals("launcher")) {
                continue; // not part of a deployment
            }
            var points = fitted.stream().filter(level -> level.services().containsKey(name))
                    .map(level -> new double[] {level.calls(), level.services().get(name).cpuCores()}).toList();
            double[] line = fit(points);
            if (line[1] < 0) {
                // CPU that falls as calls are added is noise (a shared machine, JIT settling): no per-call cost seen
                line = new double[] {points.stream().mapToDouble(p -> p[1]).average().orElse(0), 0};
            }
            double cores = line[0] + line[1] * calls;
            int pods = (int) Math.max(1, Math.ceil(cores / (podCores * utilisation)));
            services.put(name, new Service(line[0], line[1], cores, pods, pods > partitions
                    && !name.equals("kafka") && !name.equals("postgres")));
        }
        double recordsPerCallSecond = fit(fitted.stream().filter(level -> level.hop(Hop.FRAME_TO_KAFKA) != null)
                .map(level -> new double[] {level.calls(), level.hop(Hop.FRAME_TO_KAFKA).count()
                        / level.windowSeconds()}).toList())[1];
        double records = recordsPerCallSecond * calls;
        return new CapacityModel(calls, podCores, utilisation, partitions, services, recordsPerCallSecond, records,
                records * AUDIO_RECORD_BYTES / 1e6);
    }

    /** Least squares {intercept, slope} of (x, y); fewer than two distinct x: {mean y, 0} (no slope to see). */
    static double[] fit(List<double[]> points) {
        if (points.stream().mapToDouble(p -> p[0]).distinct().count() < 2) {
            return new double[] {points.stream().mapToDouble(p -> p[1]).average().orElse(0), 0};
        }
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {(sy - slope * sx) / n, slope};
    }

    void print(java.io.PrintStream out) {
        out.println();
        out.printf("capacity model: %,d concurrent calls, %.0f-core pods at %.0f%% CPU, %d partitions per topic "
                + "(fitted over the levels that held; the bench's own machine, see docs/benchmarks.md)%n", calls,
                podCores, utilisation * 100, partitions);
        out.println("| process | fixed cores | cores per call | cores | pods |");
        out.println("|---|---|---|---|---|");
        services.forEach((name, service) -> out.printf("| %s | %.3f | %.4f | %,.0f | %,d%s |%n", name,
                service.fixedCores(), service.coresPerCall(), service.cores(), service.pods(),
                service.morePodsThanPartitions() ? " (more than the " + partitions + " partitions: the topic bounds it)"
                        : ""));
        if (audioRecordsPerSecond > 0) {
            out.printf("voice.audio: %.2f records/s per call -> %,.0f records/s, %.0f MB/s produced (x replication "
                    + "factor on the brokers' disks and network)%n", audioRecordsPerCallSecond, audioRecordsPerSecond,
                    audioMegabytesPerSecond);
        }
    }
}
