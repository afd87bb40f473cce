package io.voicecoach.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JFR recordings of the suite's JVMs during a steady window, started from outside with {@code jcmd JFR.start} (the
 * services need no option for it). Read them with {@code jfr view hot-methods <file>} or JDK Mission Control.
 */
final class Profiler {

    private static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");

    /** Starts a recording of {@code seconds} in every Java process of the table but this one; returns the files. */
    static List<Path> start(ProcessTable processes, Path dir, long seconds, String label) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
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

    private static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "cannot run " + command.getFirst() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private Profiler() {
    }
}
