package io.voicecoach.bench.load;

import io.voicecoach.bench.ServiceProcesses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes of a local suite started from one repository, found by their command lines in {@code /proc}: each
 * service instance ({@code <home>/<module>/target/quarkus-app/quarkus-run.jar}, several with replicas), the Kafka
 * broker (devstack {@code EmbeddedKafka}), PostgreSQL ({@code bin/postgres -D <home>/...}, with its backends), the
 * launcher (which also runs the replicas' balancers and the local LLM), and this load generator. The figures of a
 * service and of PostgreSQL include their children (speech decoders, database backends); the launcher's and this
 * process's do not (their children are the suite).
 */
final class ProcessTable {

    /** @param httpPort its {@code -Dquarkus.http.port}, 0 when it has none */
    record Member(String service, long pid, int httpPort) {
    }

    /** CPU time so far and memory now of one service's processes together. */
    record Usage(int instances, long cpuMillis, long rssBytes) {
    }

    static final String LOAD_GENERATOR = "load-generator";
    private static final Pattern SERVICE_JAR =
            Pattern.compile(".*/([a-z]+-service)/target/quarkus-app/quarkus-run\\.jar");
    private static final Pattern HTTP_PORT = Pattern.compile("-Dquarkus\\.http\\.port=(\\d+)");

    private final List<Member> members;

    private ProcessTable(List<Member> members) {
        this.members = List.copyOf(members);
    }

    /** The suite's processes now; with {@code home} null, every VoiceCoach process on the machine. */
    static ProcessTable discover(Path home) {
        var members = new ArrayList<Member>();
        long self = ProcessHandle.current().pid();
        members.add(new Member(LOAD_GENERATOR, self, 0));
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                var argv = commandLine(entry.resolve("cmdline"));
                String service = classify(argv, home == null ? null : home.toString());
                if (service != null) {
                    members.add(new Member(service, Long.parseLong(name), httpPort(argv)));
                }
            }
        } catch (IOException e) {
            // no /proc (not Linux): nothing to measure
        }
        return new ProcessTable(members);
    }

    /** Which part of the suite a command line is, or null; {@code home} (if not null) must appear in it. */
    static String classify(List<String> argv, String home) {
        if (argv.isEmpty()) {
            return null;
        }
        String joined = String.join(" ", argv);
        if (home != null && !joined.contains(home)) {
            return null;
        }
        int jar = argv.indexOf("-jar");
        if (jar >= 0 && jar + 1 < argv.size()) {
            var service = SERVICE_JAR.matcher(argv.get(jar + 1));
            if (service.matches()) {
                return service.group(1);
            }
            if (argv.get(jar + 1).matches(".*/devstack/target/devstack-[^/]*\\.jar")) {
                return "launcher";
            }
        }
        if (joined.contains("io.voicecoach.devstack.EmbeddedKafka")) {
            return "kafka";
        }
        if (argv.getFirst().endsWith("/bin/postgres") && argv.contains("-D")) {
            return "postgres";
        }
        return null;
    }

    private static int httpPort(List<String> argv) {
        for (String arg : argv) {
            var port = HTTP_PORT.matcher(arg);
            if (port.matches()) {
                return Integer.parseInt(port.group(1));
            }
        }
        return 0;
    }

    private static List<String> commandLine(Path cmdline) {
        try {
            String raw = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException e) {
            return List.of(); // gone, or not ours to read
        }
    }

    List<Member> members() {
        return members;
    }

    /** HTTP ports of the instances of {@code service}, e.g. to scrape each gateway's metrics. */
    List<Integer> ports(String service) {
        return members.stream().filter(m -> m.service().equals(service) && m.httpPort() > 0)
                .map(Member::httpPort).toList();
    }

    private static long ownCpuMillis(long pid) {
        try {
            return ServiceProcesses.cpuMillis(pid);
        } catch (UncheckedIOException gone) {
            return 0;
        }
    }

    /** Per service: CPU time so far (with children) and resident memory now (with children). */
    Map<String, Usage> sample() {
        var out = new TreeMap<String, Usage>();
        for (var member : members) {
            boolean tree = member.service().endsWith("-service") || member.service().equals("postgres");
            long cpu = tree ? ServiceProcesses.treeCpuMillis(member.pid()) : ownCpuMillis(member.pid());
            long rss = tree ? ServiceProcesses.treeRssBytes(member.pid()) : ServiceProcesses.rssBytes(member.pid());
            out.merge(member.service(), new Usage(1, cpu, rss),
                    (a, b) -> new Usage(a.instances() + b.instances(), a.cpuMillis() + b.cpuMillis(),
                            a.rssBytes() + b.rssBytes()));
        }
        return out;
    }
}
