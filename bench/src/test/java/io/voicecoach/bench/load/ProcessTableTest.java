package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessTableTest {

    private static final String HOME = "/work/repo";

    @Test
    void theSuitesProcessesAreKnownByTheirCommandLines() {
        assertThat(ProcessTable.classify(List.of("/usr/bin/setsid", "/jdk/bin/java", "-Xmx384m",
                "-Dquarkus.http.port=8080", "-jar", HOME + "/gateway-service/target/quarkus-app/quarkus-run.jar"),
                HOME)).isEqualTo("gateway-service");
        assertThat(ProcessTable.classify(List.of("/jdk/bin/java", "-cp", HOME + "/devstack/target/lib/a.jar",
                "io.voicecoach.devstack.EmbeddedKafka", "9092", "9093", HOME + "/.devstack/kafka"), HOME))
                .isEqualTo("kafka");
        assertThat(ProcessTable.classify(List.of("/tmp/embedded-pg/PG-1/bin/postgres", "-D",
                HOME + "/.devstack/postgres", "-p", "5433"), HOME)).isEqualTo("postgres");
        assertThat(ProcessTable.classify(List.of("/jdk/bin/java", "-jar",
                HOME + "/devstack/target/devstack-0.1.0-SNAPSHOT.jar", "up"), HOME)).isEqualTo("launcher");
    }

    @Test
    void anotherCheckoutsProcessesAndStrangersAreNotOurs() {
        assertThat(ProcessTable.classify(List.of("/jdk/bin/java", "-jar",
                "/other/gateway-service/target/quarkus-app/quarkus-run.jar"), HOME)).isNull();
        assertThat(ProcessTable.classify(List.of("postgres: postgres voicecoach 127.0.0.1 idle"), HOME)).isNull();
        assertThat(ProcessTable.classify(List.of("/usr/bin/bash", HOME + "/bench/load"), HOME)).isNull();
        assertThat(ProcessTable.classify(List.of(), HOME)).isNull();
    }

    @Test
    void thisProcessIsAlwaysMeasuredAsTheLoadGenerator() {
        var table = ProcessTable.discover(Path.of("/nonexistent-checkout"));

        var usage = table.sample().get(ProcessTable.LOAD_GENERATOR);
        assertThat(usage.instances()).isEqualTo(1);
        assertThat(usage.cpuMillis()).isPositive();
        assertThat(usage.rssBytes()).isGreaterThan(1 << 20);
        assertThat(table.ports("gateway-service")).isEmpty();
    }
}
