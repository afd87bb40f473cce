package io.voicecoach.devstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Quarkus test resource: a real Kafka broker and, when the {@code schema} init arg names the service's schema,
 * a real PostgreSQL. Both are started once per test JVM and shared by every test class in it.
 *
 * <pre>
 * &#64;QuarkusTestResource(value = DevstackTestResource.class,
 *         initArgs = &#64;ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
 * </pre>
 */
public class DevstackTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String SCHEMA = "schema";

    private String schema;

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.get(SCHEMA);
    }

    @Override
    public Map<String, String> start() {
        var config = new HashMap<String, String>();
        config.put("kafka.bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers());
        if (schema != null) {
            var postgres = SharedInfrastructure.postgres();
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrlForSchema(schema));
            config.put("quarkus.datasource.username", EmbeddedPostgresServer.USER);
            config.put("quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
        }
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole JVM; SharedInfrastructure stops them at exit
    }
}
