package io.voicecoach.devstack;

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
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The five services as separate JVMs, each from its packaged {@code quarkus-run.jar}, on a broker and a database
 * someone else runs; {@link SuiteConfig#replicas()} instances of each, behind one {@link TcpBalancer} per service on
 * its public port when there are several. Used by the launcher and by the system tests, so both start the suite the
 * same way.
 */
public final class Suite implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final SuiteConfig config;
    private final Map<Instance, ManagedProcess> processes = new LinkedHashMap<>();
    private final Map<Service, TcpBalancer> balancers = new EnumMap<>(Service.class);
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
        if (config.balanced()) {
            for (Instance instance : config.instances()) {
                if (Ports.inUse(instance.port())) {
                    busy.add(instance.port() + " (" + instance.name() + ")");
                }
            }
        }
        return busy;
    }

    /**
     * Starts the balancers (with replicas) and every instance (they boot in parallel); call {@link #awaitReady} next.
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
            if (config.balanced()) {
                for (Service service : Service.values()) {
                    suite.balancers.put(service, TcpBalancer.start(service.module(), config.port(service),
                            config.instances(service).stream().map(Instance::port).toList()));
                }
            }
            for (Instance instance : config.instances()) {
                suite.launch(instance, false);
            }
        } catch (RuntimeException e) {
            suite.stop();
            throw e;
        }
        return suite;
    }

    private synchronized ManagedProcess launch(Instance instance, boolean appendLog) {
        if (stopped) {
            throw new IllegalStateException("the suite is stopped");
        }
        var process = ManagedProcess.start(instance.name(), command(config, instance), config.log(instance),
                config.modulesDir(), Map.of("HOSTNAME", instance.name()), appendLog);
        processes.put(instance, process);
        return process;
    }

    static List<String> command(SuiteConfig config, Instance instance) {
        var command = new ArrayList<String>();
        command.add(ManagedProcess.javaExecutable());
        command.addAll(config.jvmOptions());
        command.addAll(config.systemProperties(instance));
        command.add("-jar");
        command.add(config.jar(instance.service()).toString());
        return command;
    }

    /** The command of a service's first instance (one replica: its only one). */
    static List<String> command(SuiteConfig config, Service service) {
        return command(config, config.instances(service).getFirst());
    }

    /**
     * Waits until every instance answers 200 on {@code /q/health/ready}, reporting each one as it gets ready.
     *
     * @throws IllegalStateException if an instance exits or is not ready within {@code timeout}
     */
    public void awaitReady(Duration timeout, Consumer<String> progress) {
        awaitReady(instances(), timeout, progress);
    }

    /** Like {@link #awaitReady(Duration, Consumer)} for some instances, e.g. one just restarted. */
    public void awaitReady(Collection<Instance> which, Duration timeout, Consumer<String> progress) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        var pending = new LinkedHashSet<>(which);
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                Instance instance = it.next();
                var process = process(instance);
                if (!process.alive()) {
                    throw new IllegalStateException(instance.name() + " exited during startup; see "
                            + process.log() + "\n" + process.tail(30));
                }
                if (ready(instance)) {
                    it.remove();
                    progress.accept(String.format("%-24s ready on port %d after %.1f s", instance.name(),
                            instance.port(), (System.nanoTime() - start) / 1e9));
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                var names = pending.stream().map(Instance::name).toList();
                throw new IllegalStateException("not ready after " + timeout.toSeconds() + " s: " + names
                        + "; logs in " + config.logDir());
            }
            sleep(Duration.ofMillis(250));
        }
    }

    /**
     * Waits until every live instance of every service is a member of its service's consumer groups and no group of
     * the suite is rebalancing. Readiness does not cover this, and a consumer that starts at the topic end (the
     * gateway's per-instance fan-out) would miss what is published before its assignment. Groups with no member from
     * a live instance are left-overs (an earlier run, a killed instance's own group) and are ignored. Returns false on
     * timeout.
     */
    public boolean awaitConsumerGroups(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (consumerGroupsSettled()) {
                return true;
            }
            sleep(Duration.ofMillis(250));
        }
        return false;
    }

    private boolean consumerGroupsSettled() {
        List<ConsumerGroups.Group> groups;
        try {
            groups = consumerGroups();
        } catch (IllegalStateException e) {
            return false;
        }
        var live = liveInstances();
        var members = new LinkedHashSet<Instance>();
        for (var group : groups) {
            if (group.state() == GroupState.EMPTY || group.state() == GroupState.DEAD || !group.hasMemberOf(live)) {
                continue;
            }
            // classic protocol: Stable means every member has received its assignment
            if (group.state() != GroupState.STABLE) {
                return false;
            }
            group.members().forEach(m -> m.instance().filter(live::contains).ifPresent(members::add));
        }
        return members.containsAll(live);
    }

    /** The suite's consumer groups and their members, now. */
    public List<ConsumerGroups.Group> consumerGroups() {
        return ConsumerGroups.describe(config.kafkaBootstrap(), instances());
    }

    /**
     * The instance of {@code service} that holds {@code topic}-{@code partition} in the service's main consumer group
     * (named like the module); empty during a rebalance.
     */
    public Optional<Instance> owner(Service service, String topic, int partition) {
        return ConsumerGroups.owner(consumerGroups(), service.module(), topic, partition);
    }

    /** True if the instance answers 200 on {@code /q/health/ready}. */
    public boolean ready(Instance instance) {
        return ready("http://127.0.0.1:" + instance.port());
    }

    /** True if the service answers 200 on {@code /q/health/ready} on its public port. */
    public boolean ready(Service service) {
        return ready(config.httpUrl(service));
    }

    private boolean ready(String baseUrl) {
        try {
            var request = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
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

    /** Every instance, started or not, in service order. */
    public List<Instance> instances() {
        return config.instances();
    }

    public List<Instance> instances(Service service) {
        return config.instances(service);
    }

    /** Instances whose process is running. */
    public synchronized List<Instance> liveInstances() {
        return processes.entrySet().stream().filter(e -> e.getValue().alive()).map(Map.Entry::getKey).toList();
    }

    /** The instance that listens on {@code port}, if any. */
    public Optional<Instance> instanceOnPort(int port) {
        return instances().stream().filter(i -> i.port() == port).findFirst();
    }

    /** The process of an instance (its latest, after a restart). */
    public synchronized ManagedProcess process(Instance instance) {
        return processes.get(instance);
    }

    /** The process of a service's first instance. */
    public ManagedProcess process(Service service) {
        return process(instances(service).getFirst());
    }

    /** Every current process, in service order. */
    public synchronized List<ManagedProcess> processes() {
        return List.copyOf(processes.values());
    }

    /** The balancer on a service's public port; empty with one replica. */
    public Optional<TcpBalancer> balancer(Service service) {
        return Optional.ofNullable(balancers.get(service));
    }

    /** {@code kill -9} of one instance; returns once it is gone. Its consumer group notices at its session timeout. */
    public void kill(Instance instance) {
        process(instance).kill();
    }

    /** Starts a stopped or killed instance again with the same command, port and state folder; its log continues. */
    public ManagedProcess restart(Instance instance) {
        var previous = process(instance);
        if (previous != null && previous.alive()) {
            throw new IllegalStateException(instance.name() + " is still running (pid " + previous.pid() + ")");
        }
        return launch(instance, true);
    }

    /** The last lines of every instance's log, for test failure reports. */
    public String logTails(int lines) {
        var out = new StringBuilder();
        for (Instance instance : instances()) {
            out.append(logTail(instance, lines));
        }
        return out.toString();
    }

    /** The last lines of one instance's log, under a header naming it. */
    public String logTail(Instance instance, int lines) {
        var log = config.log(instance);
        return "----- " + log + " (last " + lines + " lines) -----\n" + ManagedProcess.tail(log, lines) + "\n";
    }

    /** Stops every instance (SIGTERM to all, up to 10 s each to exit, then kill), then the balancers. Safe twice. */
    public void stop() {
        List<ManagedProcess> running;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            running = List.copyOf(processes.values());
        }
        running.forEach(ManagedProcess::requestStop);
        running.forEach(p -> p.awaitExit(STOP_GRACE));
        balancers.values().forEach(TcpBalancer::close);
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
