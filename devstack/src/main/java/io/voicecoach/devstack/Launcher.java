package io.voicecoach.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The engine behind {@code ./voicecoach}: runs Kafka, PostgreSQL and the five services locally.
 *
 * <pre>
 * run          start everything, play the sample call once, keep running until Ctrl-C
 * up           start everything, keep running until Ctrl-C
 * stop         stop a running launcher (SIGTERM to the pid in .devstack/launcher.pid)
 * sample-call  play the sample call against a running suite
 * replay       re-run recorded calls through a playbook version in shadow mode and print what changes
 * </pre>
 */
public final class Launcher {

    private static final Duration KAFKA_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final LauncherSettings settings;
    private final PrintStream out = System.out;
    /** What has been started; stopped in this order: services, then the LLM, Kafka, PostgreSQL. */
    private Suite suite;
    private LocalLlm llm;
    private KafkaProcess kafka;
    private EmbeddedPostgresServer postgres;
    private boolean shuttingDown;

    private Launcher(LauncherSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Throwable {
        if (!LauncherClasspath.complete()) {
            LauncherClasspath.relaunch(Launcher.class.getName(), args);
            return;
        }
        // zonky's PostgreSQL logs through SLF4J; the launcher has no provider and prints its own progress
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        String command = args.length == 0 ? "help" : args[0];
        try {
            var settings = LauncherSettings.fromEnvironment(System.getenv());
            var launcher = new Launcher(settings);
            switch (command) {
                case "run" -> launcher.up(true);
                case "up" -> launcher.up(false);
                case "stop" -> System.exit(launcher.stop());
                case "sample-call" -> System.exit(launcher.sampleCall());
                case "replay" -> System.exit(ReplayCommand.run(List.of(args).subList(1, args.length),
                        java.net.URI.create(settings.suiteConfig().httpUrl(Service.COACHING)), settings.demoApiKey(),
                        System.out, System.err));
                case "help", "-h", "--help" -> usage(System.out);
                default -> {
                    System.err.println("unknown command: " + command);
                    usage(System.err);
                    System.exit(2);
                }
            }
        } catch (LaunchException | IllegalArgumentException e) {
            System.err.println("voicecoach: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: voicecoach <command>
                  run          start Kafka, PostgreSQL and the five services, play the sample call, keep running
                  up           the same without the sample call
                  stop         stop the running suite
                  sample-call  play the sample call against the running suite
                  replay       re-run a recorded session through a playbook version, shadow mode (voicecoach replay --help)
                environment: VOICECOACH_<SERVICE>_PORT, VOICECOACH_REPLICAS, VOICECOACH_LLM, VOICECOACH_KAFKA_BOOTSTRAP,
                             VOICECOACH_POSTGRES_URL/_USER/_PASSWORD, VOICECOACH_DEMO_API_KEY (see devstack/README.md)""");
    }

    // ---------------------------------------------------------------- up / run

    private void up(boolean playSampleCall) {
        long start = System.nanoTime();
        refuseIfRunning();
        var config = settings.suiteConfig();
        var missing = Suite.missingJars(config.modulesDir());
        if (!missing.isEmpty()) {
            throw new LaunchException("not built yet: " + String.join(", ", missing)
                    + "\n  build first: ./voicecoach run --build   (or ./mvnw -B install -DskipTests)");
        }
        refuseBusyPorts(config);

        writePidFile();
        deleteQuietly(childrenFile());
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "voicecoach-shutdown"));
        SuiteConfig suiteConfig = null;
        try {
            out.println("starting VoiceCoach in " + settings.repoRoot());
            KafkaProcess broker = settings.embeddedKafka() ? startKafka() : null;
            Database database = settings.embeddedPostgres() ? startPostgres() : settings.postgres();
            String bootstrap = broker == null ? prepareExternalKafka() : awaitKafka(broker);
            if (settings.llm()) {
                started(LocalLlm.start(settings.llmPort()));
                out.println("  local LLM: " + settings.llmBaseUrl() + " (demo tenant: live coaching, voice agent)");
            }

            if (settings.tls()) {
                out.println("self-signed certificate for the gateway: " + SelfSignedKeyStore.ensure(settings.tlsKeyStore()));
            }
            suiteConfig = settings.suiteConfig(bootstrap, database);
            out.println("starting the five services" + (settings.replicas() > 1 ? ", " + settings.replicas()
                    + " instances of each behind a balancer on its port" : "") + " (logs in " + settings.logDir() + ")");
            var services = started(Suite.start(suiteConfig));
            services.processes().forEach(this::recordChild);
            services.awaitReady(settings.readyTimeout(), line -> out.println("  " + line));
            if (!services.awaitConsumerGroups(Duration.ofSeconds(60))) {
                out.println("  (some Kafka consumer groups are still rebalancing; the first suggestions may be late)");
            }
            printTable(suiteConfig, database, (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            if (!stopping()) {
                System.err.println("voicecoach: " + e.getMessage());
            }
            System.exit(1);
        }
        if (playSampleCall) {
            playSampleCall(suiteConfig);
        }
        out.println();
        out.println("VoiceCoach is running. Ctrl-C (or ./voicecoach stop) stops it.");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void playSampleCall(SuiteConfig config) {
        out.println();
        out.println("playing the sample call through " + config.realtimeUrl());
        try {
            var result = SampleCall.run(settings.sampleCallOptions(config.realtimeUrl(), settings.demoApiKey(), out));
            if (result.sessionId() != null) {
                out.printf("the session in analytics: curl -H 'Authorization: Bearer %s' %s/api/v1/sessions/%s%n",
                        settings.demoApiKey(), config.httpUrl(Service.ANALYTICS), result.sessionId());
            }
        } catch (RuntimeException e) {
            System.err.println("sample call failed: " + e.getMessage());
        }
    }

    private void refuseIfRunning() {
        runningPid().ifPresent(pid -> {
            throw new LaunchException("VoiceCoach is already running (pid " + pid + "); stop it with ./voicecoach stop");
        });
    }

    private void refuseBusyPorts(SuiteConfig config) {
        var busy = new ArrayList<>(Suite.busyPorts(config));
        if (settings.embeddedKafka()) {
            checkPort(busy, settings.kafkaPort(), "Kafka, VOICECOACH_KAFKA_PORT");
            checkPort(busy, settings.kafkaControllerPort(), "Kafka controller, VOICECOACH_KAFKA_CONTROLLER_PORT");
        }
        if (settings.embeddedPostgres()) {
            checkPort(busy, settings.postgresPort(), "PostgreSQL, VOICECOACH_POSTGRES_PORT");
        }
        if (settings.llm()) {
            checkPort(busy, settings.llmPort(), "local LLM, VOICECOACH_LLM_PORT");
        }
        if (!busy.isEmpty()) {
            throw new LaunchException("port(s) already in use: " + String.join("; ", busy)
                    + "\n  another VoiceCoach running? ./voicecoach stop; or choose other ports with the variables named");
        }
    }

    private static void checkPort(List<String> busy, int port, String what) {
        if (Ports.inUse(port)) {
            busy.add(port + " (" + what + ")");
        }
    }

    private KafkaProcess startKafka() {
        out.println("  Kafka: starting on 127.0.0.1:" + settings.kafkaPort());
        var broker = started(KafkaProcess.start(settings.kafkaPort(), settings.kafkaControllerPort(),
                settings.stateDir().resolve("kafka"), settings.logDir().resolve("kafka.log"), settings.repoRoot()));
        recordChild(broker.process());
        return broker;
    }

    private String awaitKafka(KafkaProcess broker) {
        long start = System.nanoTime();
        try {
            broker.awaitReady(KAFKA_START_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new LaunchException(e.getMessage());
        }
        out.printf("  Kafka: ready on 127.0.0.1:%d after %.1f s%n", settings.kafkaPort(),
                (System.nanoTime() - start) / 1e9);
        return broker.bootstrapServers();
    }

    private String prepareExternalKafka() {
        out.println("  Kafka: external " + settings.kafkaBootstrap() + ", creating topics");
        KafkaTopics.createPipeline(settings.kafkaBootstrap(), KafkaTopics.LOCAL_PARTITIONS);
        return settings.kafkaBootstrap();
    }

    private Database startPostgres() {
        long start = System.nanoTime();
        var server = started(EmbeddedPostgresServer.start(settings.postgresPort(),
                settings.stateDir().resolve("postgres")));
        out.printf("  PostgreSQL: ready on 127.0.0.1:%d after %.1f s%n", server.port(),
                (System.nanoTime() - start) / 1e9);
        return Database.of(server);
    }

    private void printTable(SuiteConfig config, Database database, double seconds) {
        String row = "  %-26s %s%n";
        out.println();
        out.printf("VoiceCoach is up (%.1f s)%n", seconds);
        out.printf(row, "realtime WebSocket", config.realtimeUrl() + "   (Authorization: Bearer <API key>)");
        if (settings.tls()) {
            out.printf(row, "realtime WebSocket (TLS)", "wss://localhost:" + settings.tlsPort()
                    + "/v1/realtime   (self-signed: " + settings.tlsKeyStore() + ")");
        }
        out.printf(row, "demo tenant / API key", SuiteConfig.DEMO_TENANT + " / " + config.demoApiKey());
        for (Service service : Service.values()) {
            out.printf(row, service.module(), config.httpUrl(service) + "   health /q/health/ready  metrics "
                    + "/q/metrics  OpenAPI /q/openapi");
            if (config.balanced()) {
                out.printf(row, "", "balancer over " + config.instances(service).stream()
                        .map(i -> i.name() + " :" + i.port()).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        if (settings.llm()) {
            out.printf(row, "local LLM", settings.llmBaseUrl() + "   (OpenAI chat completions; demo tenant)");
        }
        out.printf(row, "analytics API", config.httpUrl(Service.ANALYTICS) + "/api/v1/sessions/{id}   (same API key)");
        out.printf(row, "Kafka", config.kafkaBootstrap() + (settings.embeddedKafka()
                ? "   (embedded, data " + settings.stateDir().resolve("kafka") + ")" : "   (external)"));
        out.printf(row, "PostgreSQL", database.jdbcUrl() + "   (user " + database.user()
                + (settings.embeddedPostgres() ? ", data " + settings.stateDir().resolve("postgres") + ")" : ")"));
        out.printf(row, "logs", settings.logDir());
    }

    // ---------------------------------------------------------------- lifecycle

    private synchronized boolean stopping() {
        return shuttingDown;
    }

    // A component whose start completes after Ctrl-C was handled is stopped at once instead of being used.

    private synchronized Suite started(Suite started) {
        if (shuttingDown) {
            started.stop();
            throw new LaunchException("stopped while starting");
        }
        suite = started;
        return started;
    }

    private synchronized KafkaProcess started(KafkaProcess started) {
        if (shuttingDown) {
            started.stop();
            throw new LaunchException("stopped while starting");
        }
        kafka = started;
        return started;
    }

    private synchronized LocalLlm started(LocalLlm started) {
        if (shuttingDown) {
            started.close();
            throw new LaunchException("stopped while starting");
        }
        llm = started;
        return started;
    }

    private synchronized EmbeddedPostgresServer started(EmbeddedPostgresServer started) {
        if (shuttingDown) {
            started.close();
            throw new LaunchException("stopped while starting");
        }
        postgres = started;
        return started;
    }

    private void shutdown() {
        Suite suiteToStop;
        LocalLlm llmToStop;
        KafkaProcess kafkaToStop;
        EmbeddedPostgresServer postgresToStop;
        synchronized (this) {
            shuttingDown = true;
            suiteToStop = suite;
            llmToStop = llm;
            kafkaToStop = kafka;
            postgresToStop = postgres;
        }
        boolean anything = suiteToStop != null || kafkaToStop != null || postgresToStop != null;
        if (anything) {
            out.println("stopping VoiceCoach...");
        }
        quietly("services", () -> {
            if (suiteToStop != null) {
                suiteToStop.stop();
            }
        });
        quietly("the local LLM", () -> {
            if (llmToStop != null) {
                llmToStop.close();
            }
        });
        quietly("Kafka", () -> {
            if (kafkaToStop != null) {
                kafkaToStop.stop();
            }
        });
        quietly("PostgreSQL", () -> {
            if (postgresToStop != null) {
                postgresToStop.close();
            }
        });
        if (runningPidFromFile().orElse(-1L) == ProcessHandle.current().pid()) {
            deleteQuietly(settings.pidFile());
            deleteQuietly(childrenFile());
        }
        if (anything) {
            out.println("stopped.");
        }
    }

    private static void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("while stopping " + what + ": " + e);
        }
    }

    /** Pids of the child processes, so {@code stop} can clean up after a launcher that was killed (SIGKILL). */
    private Path childrenFile() {
        return settings.stateDir().resolve("children.pid");
    }

    private void recordChild(ManagedProcess child) {
        try {
            Files.writeString(childrenFile(), child.pid() + " " + child.name() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            out.println("  (cannot record pid of " + child.name() + ": " + e.getMessage() + ")");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // stale files are recognised by their dead pids
        }
    }

    private void writePidFile() {
        try {
            Files.createDirectories(settings.stateDir());
            Files.writeString(settings.pidFile(), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new LaunchException("cannot write " + settings.pidFile() + ": " + e.getMessage());
        }
    }

    private Optional<Long> runningPidFromFile() {
        try {
            if (!Files.exists(settings.pidFile())) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(settings.pidFile()).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid of a live launcher from the pid file; a stale file is removed. */
    private Optional<Long> runningPid() {
        var pid = runningPidFromFile();
        if (pid.isPresent() && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)
                && ProcessHandle.of(pid.get()).flatMap(h -> h.info().command()).map(c -> c.contains("java"))
                .orElse(true)) {
            return pid;
        }
        try {
            Files.deleteIfExists(settings.pidFile());
        } catch (IOException ignored) {
            // nothing running either way
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- stop / sample-call

    private int stop() {
        var pid = runningPid();
        if (pid.isEmpty()) {
            int leftovers = stopLeftovers();
            out.println(leftovers == 0 ? "VoiceCoach is not running (no live pid in " + settings.pidFile() + ")"
                    : "stopped " + leftovers + " process(es) left behind by a launcher that did not exit cleanly");
            return 0;
        }
        var handle = ProcessHandle.of(pid.get()).orElseThrow();
        out.println("stopping VoiceCoach (pid " + pid.get() + ")...");
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            out.println("stopped.");
            return 0;
        } catch (Exception e) {
            System.err.println("voicecoach: pid " + pid.get() + " did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s; see " + settings.logDir());
            return 1;
        }
    }

    /** Stops recorded children (and the embedded PostgreSQL) that outlived their launcher; returns how many. */
    private int stopLeftovers() {
        var leftovers = new ArrayList<ProcessHandle>();
        try {
            if (Files.exists(childrenFile())) {
                for (String line : Files.readAllLines(childrenFile())) {
                    liveProcess(line.split(" ")[0], "java").ifPresent(leftovers::add);
                }
            }
            var postmaster = settings.stateDir().resolve("postgres/postmaster.pid");
            if (Files.exists(postmaster)) {
                liveProcess(Files.readAllLines(postmaster).getFirst(), "postgres").ifPresent(leftovers::add);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("voicecoach: cannot read the pids of leftover processes: " + e.getMessage());
        }
        leftovers.forEach(ProcessHandle::destroy);
        for (var process : leftovers) {
            try {
                process.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
        deleteQuietly(childrenFile());
        return leftovers.size();
    }

    private static Optional<ProcessHandle> liveProcess(String pid, String commandContains) {
        try {
            return ProcessHandle.of(Long.parseLong(pid.trim())).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains(commandContains)).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private int sampleCall() {
        var config = settings.suiteConfig();
        try {
            var result = SampleCall.run(settings.sampleCallOptions(config.realtimeUrl(), settings.demoApiKey(), out));
            return result.ok() ? 0 : 1;
        } catch (IllegalStateException e) {
            System.err.println("voicecoach: " + e.getMessage() + "\n  is the suite running? ./voicecoach up");
            return 1;
        }
    }

    /** A problem the user can fix; printed without a stack trace. */
    static final class LaunchException extends RuntimeException {
        LaunchException(String message) {
            super(message);
        }
    }
}
