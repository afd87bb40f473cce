package io.voicecoach.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The five services as separate JVMs, each from its packaged {@code quarkus-run.jar}, on a broker and a database
 * someone else runs. Used by the launcher and by the end-to-end test, so both start the suite the same way.
 */
public final class Suite implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final SuiteConfig config;
    private final Map<Service, ManagedProcess> processes = new EnumMap<>(Service.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private boolean stopped;

    private Suite(SuiteConfig config) {
        this.config = config;
    }

    /** Service jars under {@code modulesDir} that are not built yet; empty when the suite can start. */
    public static List<String> missingJars(Path modulesDir) {
        var missing = new ArrayList<String>();
        for (Service service : Service.values()) {
            if (!Files.isRegularFile(service.jarIn(modulesDir))) {
                missing.add(modulesDir.relativize(service.jarIn(modulesDir)).toString());
            }
        }
        return missing;
    }

    /** Ports of the suite something already listens on, as "8080 (gateway-service)". */
    public static List<String> busyPorts(SuiteConfig config) {
        var busy = new ArrayList<String>();
        for (Service service : Service.values()) {
            if (Ports.inUse(config.port(service))) {
                busy.add(config.port(service) + " (" + service.module() + ", " + service.portVariable() + ")");
            }
        }
        return busy;
    }

    /**
     * Starts every service process (they boot in parallel); call {@link #awaitReady} next.
     *
     * @throws IllegalStateException if a jar is missing or a port is taken
     */
    public static Suite start(SuiteConfig config) {
        var missing = missingJars(config.modulesDir());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("service jars missing, build first (./mvnw -B install -DskipTests): "
                    + String.join(", ", missing));
        }
        var busy = busyPorts(config);
        if (!busy.isEmpty()) {
            throw new IllegalStateException("port(s) already in use: " + String.join(", ", busy));
        }
        var suite = new Suite(config);
        try {
            for (Service service : Service.values()) {
                suite.processes.put(service, ManagedProcess.start(service.module(), command(config, service),
                        config.logDir().resolve(service.module() + ".log"), config.modulesDir()));
            }
        } catch (RuntimeException e) {
            suite.stop();
            throw e;
        }
        return suite;
    }

    static List<String> command(SuiteConfig config, Service service) {
        var command = new ArrayList<String>();
        command.add(ManagedProcess.javaExecutable());
        command.addAll(config.jvmOptions());
        command.addAll(config.systemProperties(service));
        command.add("-jar");
        command.add(config.jar(service).toString());
        return command;
    }

    /**
     * Waits until every service answers 200 on {@code /q/health/ready}, reporting each one as it gets ready.
     *
     * @throws IllegalStateException if a service exits or is not ready within {@code timeout}
     */
    public void awaitReady(Duration timeout, Consumer<String> progress) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        var pending = EnumSet.allOf(Service.class);
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                Service service = it.next();
                var process = processes.get(service);
                if (!process.alive()) {
                    throw new IllegalStateException(service.module() + " exited during startup; see "
                            + process.log() + "\n" + process.tail(30));
                }
                if (ready(service)) {
                    it.remove();
                    progress.accept(String.format("%-22s ready on port %d after %.1f s", service.module(),
                            config.port(service), (System.nanoTime() - start) / 1e9));
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                var names = pending.stream().map(Service::module).toList();
                throw new IllegalStateException("not ready after " + timeout.toSeconds() + " s: " + names
                        + "; logs in " + config.logDir());
            }
            sleep(Duration.ofMillis(250));
        }
    }

    /**
     * Waits until the gateway, coaching, tool and analytics services each have a stable consumer group on the broker
     * and no group of the suite is still rebalancing. Readiness does not cover this, and a consumer that starts at the topic end (the gateway's
     * per-instance fan-out) would miss what is published before its assignment. Returns false on timeout.
     */
    public boolean awaitConsumerGroups(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()))) {
            while (System.nanoTime() < deadline) {
                if (consumerGroupsSettled(admin)) {
                    return true;
                }
                sleep(Duration.ofMillis(250));
            }
        }
        return false;
    }

    private static boolean consumerGroupsSettled(Admin admin) {
        try {
            var ids = admin.listGroups().all().get(10, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId)
                    .filter(id -> EnumSet.allOf(Service.class).stream().anyMatch(s -> id.startsWith(s.module())))
                    .toList();
            var groups = admin.describeConsumerGroups(ids).all().get(10, TimeUnit.SECONDS).values();
            var settled = EnumSet.noneOf(Service.class);
            for (ConsumerGroupDescription group : groups) {
                var state = group.groupState();
                if (state == GroupState.EMPTY || state == GroupState.DEAD) {
                    continue; // left over from an earlier run
                }
                // classic protocol: Stable means every member has received its assignment
                if (state != GroupState.STABLE || group.members().isEmpty()) {
                    return false;
                }
                for (Service service : Service.values()) {
                    if (group.groupId().startsWith(service.module())) {
                        settled.add(service);
                    }
                }
            }
            return settled.containsAll(EnumSet.of(Service.GATEWAY, Service.COACHING, Service.TOOL, Service.ANALYTICS));
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True if the service answers 200 on {@code /q/health/ready}. */
    public boolean ready(Service service) {
        try {
            var request = HttpRequest.newBuilder(URI.create(config.httpUrl(service) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public SuiteConfig config() {
        return config;
    }

    public ManagedProcess process(Service service) {
        return processes.get(service);
    }

    /** The last lines of every service log, for test failure reports. */
    public String logTails(int lines) {
        var out = new StringBuilder();
        for (Service service : Service.values()) {
            var log = config.logDir().resolve(service.module() + ".log");
            out.append("----- ").append(log).append(" (last ").append(lines).append(" lines) -----\n")
                    .append(ManagedProcess.tail(log, lines)).append('\n');
        }
        return out.toString();
    }

    /** Stops every service: SIGTERM to all, up to 10 s each to exit, then kill. Safe to call twice. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        processes.values().forEach(ManagedProcess::requestStop);
        processes.values().forEach(p -> p.awaitExit(STOP_GRACE));
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
