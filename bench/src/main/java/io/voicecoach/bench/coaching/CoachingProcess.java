package io.voicecoach.bench.coaching;

import io.voicecoach.bench.ServiceProcesses;
import io.voicecoach.devstack.ManagedProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged coaching-service as a child process: rules and embeddings on, no LLM, no tool-service. */
final class CoachingProcess implements AutoCloseable {

    private final ManagedProcess process;

    private CoachingProcess(ManagedProcess process) {
        this.process = process;
    }

    /**
     * Starts the jar and waits for {@code /q/health/ready} (which includes the {@code tool.results} consumer being
     * positioned). {@code options} come last, so they override the settings chosen here.
     */
    static CoachingProcess start(Path jar, String bootstrap, String jdbcUrl, Path djlCache, List<String> options,
                                 Teardown teardown) throws Exception {
        int port = ServiceProcesses.freePort();
        var command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(),
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                // only /api/* asks the gateway; nothing listens there
                "-Dvoicecoach.auth.gateway-url=http://127.0.0.1:" + ServiceProcesses.freePort(),
                "-Dvoicecoach.agent.tools-url=http://127.0.0.1:" + ServiceProcesses.freePort(),
                "-Dvoicecoach.coaching.embeddings.enabled=true",
                "-Dvoicecoach.coaching.embeddings.cache-dir=" + djlCache,
                // every detection becomes a suggestion: with 50 sessions the 2-minute cool-downs would suppress most
                "-Dvoicecoach.coaching.nudges.repeat-cooldown=0s",
                "-Dvoicecoach.coaching.nudges.cooldown=0s"));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        var log = Files.createTempDirectory("vc-hop-bench-").resolve("coaching-service.log");
        var coaching = teardown.add("coaching-service",
                new CoachingProcess(ManagedProcess.start("coaching-service", command, log, jar.getParent())));
        coaching.awaitReady(port, Duration.ofMinutes(3));
        return coaching;
    }

    private void awaitReady(int port, Duration timeout) throws Exception {
        double seconds = ServiceProcesses.awaitReady(process, port, timeout);
        System.out.printf("coaching-service (pid %d) ready on port %d after %.1f s, log %s%n", process.pid(), port,
                seconds, process.log());
    }

    /** User + system CPU time of the service so far, in milliseconds. */
    long cpuMillis() {
        return ServiceProcesses.cpuMillis(process.pid());
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }
}
