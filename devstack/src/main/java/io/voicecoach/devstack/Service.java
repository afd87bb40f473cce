package io.voicecoach.devstack;

import java.nio.file.Path;

/** The five VoiceCoach services as the launcher runs them: module folder, default port and database schema. */
public enum Service {
    GATEWAY("gateway-service", 8080, "gateway"),
    TRANSCRIPTION("transcription-service", 8081, null),
    COACHING("coaching-service", 8082, "coaching"),
    TOOL("tool-service", 8083, "tool"),
    ANALYTICS("analytics-service", 8084, "analytics");

    private final String module;
    private final int defaultPort;
    private final String schema;

    Service(String module, int defaultPort, String schema) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.schema = schema;
    }

    /** Module folder under the repository root, also the process and log name. */
    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The schema the service owns in the shared database, or null when it keeps no tables. */
    public String schema() {
        return schema;
    }

    public boolean usesDatabase() {
        return schema != null;
    }

    /** The packaged service: {@code <module>/target/quarkus-app/quarkus-run.jar} under {@code modulesDir}. */
    public Path jarIn(Path modulesDir) {
        return modulesDir.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Environment variable that overrides the port, e.g. {@code VOICECOACH_GATEWAY_PORT}. */
    public String portVariable() {
        return "VOICECOACH_" + name() + "_PORT";
    }
}
