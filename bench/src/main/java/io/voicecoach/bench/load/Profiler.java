package io.voicecoach.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JFR recordings of the suite's JVMs during a steady window, started from outside with {@code jcmd JFR.start} (the
 * services need no option for it), and the hottest methods of each from {@code jfr view hot-methods}.
 */
final class Profiler {

    private static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");

    /** Starts a recording of {@code seconds} in every Java process of the table but this one; returns the files. */
    static List<Path> start(ProcessTable processes, Path dir, long seconds, String label) throws IOException {
        Files.createDirectories(dir);
        var files = new ArrayList<Path>();
        for (var member : processes.members()) {
            if (member.service().equals("postgres") || member.service().equals(ProcessTable.LOAD_GENERATOR)) {
                continue;
            }
            var file = dir.resolve(label + "-" + member.service() + "-" + member.pid() + ".jfr").toAbsolutePath();
            String output = run(List.of(JDK_BIN.resolve("jcmd").toString(), Long.toString(member.pid()), "JFR.start",
                    "name=voicecoach-load", "settings=profile", "duration=" + seconds + "s",
                    "filename=" + file));
            if (output.contains("Started recording")) {
                files.add(file);
            } else {
                System.out.println("  (no JFR recording of " + member.service() + " pid " + member.pid() + ": "
                        + output.strip() + ")");
            }
        }
        return files;
    }

    /** The first {@code lines} lines of {@code jfr view hot-methods} for a finished recording. */
    static String hotMethods(Path recording, int lines) throws IOException {
        String output = run(List.of(JDK_BIN.resolve("jfr").toString(), "view", "--width", "140", "hot-methods",
                recording.toString()));
        var all = output.lines().toList();
        return String.join("\n", all.subList(0, Math.min(lines, all.size())));
    }

    private static String run(List<String> command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            return "interrupted";
        }
    }

    private Profiler() {
    }
}
