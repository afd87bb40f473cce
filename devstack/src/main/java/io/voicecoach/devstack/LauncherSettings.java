package io.voicecoach.devstack;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The local run's settings, from environment variables with the documented defaults.
 *
 * @param kafkaBootstrap external broker ({@code VOICECOACH_KAFKA_BOOTSTRAP}), or null to run the embedded one
 * @param postgres       external database ({@code VOICECOACH_POSTGRES_URL/_USER/_PASSWORD}), or null for embedded
 * @param tlsPort        the gateway's HTTPS/WSS port with a self-signed certificate ({@code VOICECOACH_TLS=true},
 *                       port {@code VOICECOACH_TLS_PORT}, 8443), or 0 for plain HTTP only
 * @param replicas       instances per service ({@code VOICECOACH_REPLICAS}, 1); with more than one, instance
 *                       {@code n} listens on the service's port + 100 x n and a balancer serves the service's port
 * @param llmPort        port of the local scripted LLM the demo tenant uses ({@code VOICECOACH_LLM=true}, port
 *                       {@code VOICECOACH_LLM_PORT}, 8090), or 0 for none
 */
public record LauncherSettings(Path repoRoot, Map<Service, Integer> ports, String kafkaBootstrap, int kafkaPort,
                               int kafkaControllerPort, Database postgres, int postgresPort, String demoApiKey,
                               Duration readyTimeout, Duration pacing, Duration suggestionTimeout, int tlsPort,
                               int replicas, int llmPort) {

    /** Most instances per service the launcher runs (their ports are the service's + 100 x n). */
    public static final int MAX_REPLICAS = 9;
    static final int INSTANCE_PORT_STEP = 100;

    public LauncherSettings {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("VOICECOACH_REPLICAS must be 1 to " + MAX_REPLICAS + ", got " + replicas);
        }
    }

    public static LauncherSettings fromEnvironment(Map<String, String> env) {
        var ports = new EnumMap<Service, Integer>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, intVar(env, service.portVariable(), service.defaultPort()));
        }
        String postgresUrl = blankToNull(env.get("VOICECOACH_POSTGRES_URL"));
        Database postgres = postgresUrl == null ? null : new Database(postgresUrl,
                env.getOrDefault("VOICECOACH_POSTGRES_USER", EmbeddedPostgresServer.USER),
                env.getOrDefault("VOICECOACH_POSTGRES_PASSWORD", EmbeddedPostgresServer.PASSWORD));
        return new LauncherSettings(repoRoot(env), ports, blankToNull(env.get("VOICECOACH_KAFKA_BOOTSTRAP")),
                intVar(env, "VOICECOACH_KAFKA_PORT", 9092), intVar(env, "VOICECOACH_KAFKA_CONTROLLER_PORT", 9093),
                postgres, intVar(env, "VOICECOACH_POSTGRES_PORT", 5433),
                env.getOrDefault("VOICECOACH_DEMO_API_KEY", SuiteConfig.DEFAULT_DEMO_API_KEY),
                Duration.ofSeconds(intVar(env, "VOICECOACH_READY_TIMEOUT_SECONDS", 120)),
                Duration.ofMillis(intVar(env, "VOICECOACH_SAMPLE_PACING_MS", 300)),
                Duration.ofMillis(intVar(env, "VOICECOACH_SAMPLE_TIMEOUT_MS", 5000)),
                Boolean.parseBoolean(env.get("VOICECOACH_TLS")) ? intVar(env, "VOICECOACH_TLS_PORT", 8443) : 0,
                intVar(env, "VOICECOACH_REPLICAS", 1),
                Boolean.parseBoolean(env.get("VOICECOACH_LLM")) ? intVar(env, "VOICECOACH_LLM_PORT", 8090) : 0);
    }

    public boolean llm() {
        return llmPort > 0;
    }

    /** Base URL of the local LLM (when {@link #llm()}). */
    public String llmBaseUrl() {
        return "http://127.0.0.1:" + llmPort + "/v1";
    }

    public boolean tls() {
        return tlsPort > 0;
    }

    /** The self-signed key store of a TLS run, made on first use. */
    public Path tlsKeyStore() {
        return stateDir().resolve("tls").resolve("gateway-localhost.p12");
    }

    /** {@code .devstack} under the repository root: data, logs and the pid file of the local run. */
    public Path stateDir() {
        return repoRoot.resolve(".devstack");
    }

    public Path logDir() {
        return stateDir().resolve("logs");
    }

    public Path pidFile() {
        return stateDir().resolve("launcher.pid");
    }

    public boolean embeddedKafka() {
        return kafkaBootstrap == null;
    }

    public boolean embeddedPostgres() {
        return postgres == null;
    }

    /** The suite's settings once the broker and the database are known. */
    public SuiteConfig suiteConfig(String bootstrap, Database database) {
        var config = new SuiteConfig(repoRoot, logDir(), stateDir().resolve("instances"), ports, 1, Map.of(),
                bootstrap, database, demoApiKey, SuiteConfig.DEFAULT_JVM_OPTIONS, Map.of())
                .withReplicas(replicas, (service, number) -> ports.get(service) + INSTANCE_PORT_STEP * number);
        if (llm()) {
            config = config.withLocalLlm(SuiteConfig.DEMO_TENANT, llmBaseUrl());
        }
        if (!tls()) {
            return config;
        }
        return config.withProperty(Service.GATEWAY, "quarkus.http.ssl-port", String.valueOf(tlsPort))
                .withProperty(Service.GATEWAY, "quarkus.tls.key-store.p12.path", tlsKeyStore().toString())
                .withProperty(Service.GATEWAY, "quarkus.tls.key-store.p12.password", SelfSignedKeyStore.PASSWORD);
    }

    /** For commands that only talk to a running suite. */
    public SuiteConfig suiteConfig() {
        return suiteConfig(kafkaBootstrap == null ? "127.0.0.1:" + kafkaPort : kafkaBootstrap,
                postgres == null ? new Database("jdbc:postgresql://127.0.0.1:" + postgresPort + "/"
                        + EmbeddedPostgresServer.DATABASE, EmbeddedPostgresServer.USER,
                        EmbeddedPostgresServer.PASSWORD) : postgres);
    }

    public SampleCall.Options sampleCallOptions(String realtimeUrl, String apiKey, PrintStream out) {
        return new SampleCall.Options(URI.create(realtimeUrl), apiKey, suggestionTimeout, pacing, out);
    }

    /**
     * {@code VOICECOACH_HOME} if set; else the folder above {@code devstack/target} when running from the built jar;
     * else the nearest folder upwards from the working directory that holds {@code devstack/pom.xml}.
     */
    static Path repoRoot(Map<String, String> env) {
        String home = blankToNull(env.get("VOICECOACH_HOME"));
        if (home != null) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        try {
            var location = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = location; dir != null; dir = dir.getParent()) {
                if (isRepoRoot(dir)) {
                    return dir;
                }
            }
        } catch (Exception ignored) {
            // fall back to the working directory
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRepoRoot(dir)) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static boolean isRepoRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("devstack/pom.xml"));
    }

    private static int intVar(Map<String, String> env, String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
