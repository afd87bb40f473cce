package io.voicecoach.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time a process spent, in total and per thread name, read from {@code /proc/<pid>/task/<tid>/stat} (Linux): two
 * samples taken around a phase of a test tell which process, and which of its threads, the phase's CPU went to.
 * Thread names are the kernel's (at most 15 characters; JVM threads of one pool share a prefix, so names are grouped
 * with their trailing digits dropped).
 */
record ProcessCpu(long totalTicks, Map<String, Long> ticksByThread) {

    /** Clock ticks per second of {@code /proc}'s times (USER_HZ, 100 on every Linux this runs on). */
    static final int TICKS_PER_SECOND = 100;

    static ProcessCpu sample(long pid) {
        var byThread = new HashMap<String, Long>();
        long total;
        try {
            total = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException processGone) {
            return new ProcessCpu(-1, Map.of());
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (var task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[-#]?\\d+$", "");
                    byThread.merge(name, ticks(stat), Long::sum);
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException processGone) {
            return new ProcessCpu(-1, Map.of());
        }
        return new ProcessCpu(total, byThread);
    }

    /** utime + stime of a {@code stat} line: fields 14 and 15, counted after the parenthesised name. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU seconds spent since {@code before}, and the {@code top} thread groups by CPU (the total includes threads
     * that ended in between, the names only the living ones).
     */
    String since(ProcessCpu before, double wallSeconds, int top) {
        if (totalTicks < 0 || before.totalTicks < 0) {
            return "gone";
        }
        var delta = new LinkedHashMap<String, Long>();
        ticksByThread.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.ticksByThread.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e -> delta.put(e.getKey(), e.getValue()));
        double seconds = (double) (totalTicks - before.totalTicks) / TICKS_PER_SECOND;
        var threads = new StringBuilder();
        delta.forEach((name, ticks) -> threads.append(String.format(" %s %.1f", name, (double) ticks / TICKS_PER_SECOND)));
        return String.format("%6.1f s CPU (%3.0f%% of one core) |%s", seconds, 100 * seconds / wallSeconds, threads);
    }
}
