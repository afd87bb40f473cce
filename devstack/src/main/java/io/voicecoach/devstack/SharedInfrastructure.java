package io.voicecoach.devstack;

/** One broker and one database server per JVM, started on first use and stopped when the JVM exits. */
public final class SharedInfrastructure {

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.startEphemeral();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "devstack-kafka-stop"));
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.startEphemeral();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "devstack-postgres-stop"));
        }
        return postgres;
    }

    private SharedInfrastructure() {
    }
}
