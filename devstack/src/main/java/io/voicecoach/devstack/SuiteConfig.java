package io.voicecoach.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run the five services.
 *
 * @param modulesDir     repository root; each service's jar is {@code <module>/target/quarkus-app/quarkus-run.jar}
 * @param logDir         one {@code <module>.log} per service (stdout and stderr)
 * @param ports          HTTP port per service
 * @param kafkaBootstrap bootstrap servers of the broker the services share
 * @param database       the database holding the gateway, tool and analytics schemas
 * @param demoApiKey     API key of the bootstrap tenant {@value #DEMO_TENANT}
 * @param jvmOptions     options for every service JVM (heap, GC)
 * @param extraProperties further system properties per service, after the standard ones (so they win)
 */
public record SuiteConfig(Path modulesDir, Path logDir, Map<Service, Integer> ports, String kafkaBootstrap,
                          Database database, String demoApiKey, List<String> jvmOptions,
                          Map<Service, Map<String, String>> extraProperties) {

    public static final String DEMO_TENANT = "demo";
    public static final String DEFAULT_DEMO_API_KEY = "vc_demo_local_0123456789abcdef";
    /** The service credential every service of the local suite presents and accepts on {@code /internal/v1/*}. */
    public static final String LOCAL_SERVICE_TOKEN = "vc_service_local_0123456789abcdef";
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");

    public SuiteConfig {
        ports = Map.copyOf(ports);
        jvmOptions = List.copyOf(jvmOptions);
        extraProperties = Map.copyOf(extraProperties);
        for (Service service : Service.values()) {
            if (!ports.containsKey(service)) {
                throw new IllegalArgumentException("no port for " + service.module());
            }
        }
    }

    /** Every service on a free port, as tests want it. */
    public static SuiteConfig withFreePorts(Path modulesDir, Path logDir, String kafkaBootstrap, Database database,
                                            String demoApiKey) {
        var ports = new EnumMap<Service, Integer>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, Ports.free());
        }
        return new SuiteConfig(modulesDir, logDir, ports, kafkaBootstrap, database, demoApiKey, DEFAULT_JVM_OPTIONS,
                Map.of());
    }

    /** This config with one more system property for {@code service}, e.g. a test's tuning. */
    public SuiteConfig withProperty(Service service, String name, String value) {
        var all = new EnumMap<Service, Map<String, String>>(Service.class);
        all.putAll(extraProperties);
        var properties = new LinkedHashMap<>(all.getOrDefault(service, Map.of()));
        properties.put(name, value);
        all.put(service, properties);
        return new SuiteConfig(modulesDir, logDir, ports, kafkaBootstrap, database, demoApiKey, jvmOptions, all);
    }

    public int port(Service service) {
        return ports.get(service);
    }

    public Path jar(Service service) {
        return service.jarIn(modulesDir);
    }

    public String httpUrl(Service service) {
        return "http://127.0.0.1:" + port(service);
    }

    public String realtimeUrl() {
        return "ws://127.0.0.1:" + port(Service.GATEWAY) + "/v1/realtime";
    }

    /** System properties of one service, in the order they go before {@code -jar}. */
    public List<String> systemProperties(Service service) {
        var props = new ArrayList<String>();
        props.add("-Dquarkus.http.port=" + port(service));
        props.add("-Dkafka.bootstrap.servers=" + kafkaBootstrap);
        if (service.presentsServiceCredential()) {
            props.add("-Dvoicecoach.auth.service-token=" + LOCAL_SERVICE_TOKEN);
        }
        if (service.usesDatabase()) {
            props.add("-Dquarkus.datasource.jdbc.url=" + database.urlForSchema(service.schema()));
            props.add("-Dquarkus.datasource.username=" + database.user());
            props.add("-Dquarkus.datasource.password=" + database.password());
        }
        switch (service) {
            case GATEWAY -> {
                props.add("-Dvoicecoach.bootstrap.tenant-id=" + DEMO_TENANT);
                props.add("-Dvoicecoach.bootstrap.api-key=" + demoApiKey);
            }
            case COACHING -> {
                props.add("-Dvoicecoach.auth.gateway-url=" + httpUrl(Service.GATEWAY));
                props.add("-Dvoicecoach.agent.tools-url=" + httpUrl(Service.TOOL));
            }
            case TOOL -> {
                props.add("-Dvoicecoach.tools.seed-tenant=" + DEMO_TENANT);
                props.add("-Dvoicecoach.auth.gateway-url=" + httpUrl(Service.GATEWAY));
                props.add("-Dvoicecoach.tools.knowledge.base-url=" + httpUrl(Service.COACHING));
            }
            case ANALYTICS -> props.add("-Dvoicecoach.auth.gateway-url=" + httpUrl(Service.GATEWAY));
            default -> {
            }
        }
        extraProperties.getOrDefault(service, Map.of()).forEach((name, value) -> props.add("-D" + name + "=" + value));
        return props;
    }
}
