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
 * @param logDir         one {@code <instance name>.log} per instance (stdout and stderr)
 * @param stateDir       local state of each instance ({@code <instance name>/}, e.g. Kafka Streams state stores)
 * @param ports          the public HTTP port per service: the instance's own with one replica, else a balancer's
 * @param replicas       instances per service
 * @param instancePorts  the instances' own HTTP ports per service, {@code replicas} of each
 * @param kafkaBootstrap bootstrap servers of the broker the services share
 * @param database       the database holding the gateway, tool and analytics schemas
 * @param demoApiKey     API key of the bootstrap tenant {@value #DEMO_TENANT}
 * @param jvmOptions     options for every service JVM (heap, GC)
 * @param extraProperties further system properties per service, after the standard ones (so they win)
 */
public record SuiteConfig(Path modulesDir, Path logDir, Path stateDir, Map<Service, Integer> ports, int replicas,
                          Map<Service, List<Integer>> instancePorts, String kafkaBootstrap, Database database,
                          String demoApiKey, List<String> jvmOptions,
                          Map<Service, Map<String, String>> extraProperties) {

    /** The own port of instance {@code number} (1-based) of a service, when the suite runs several. */
    @FunctionalInterface
    public interface InstancePorts {
        int port(Service service, int number);
    }

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
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
        }
        var copied = new EnumMap<Service, List<Integer>>(Service.class);
        for (Service service : Service.values()) {
            if (!ports.containsKey(service)) {
                throw new IllegalArgumentException("no port for " + service.module());
            }
            var own = replicas == 1 ? List.of(ports.get(service)) : instancePorts.get(service);
            if (own == null || own.size() != replicas) {
                throw new IllegalArgumentException(replicas + " instance ports needed for " + service.module()
                        + ", got " + own);
            }
            copied.put(service, List.copyOf(own));
        }
        instancePorts = Map.copyOf(copied);
    }

    /**
     * Every service on a free port, as tests want it, one instance each. The state folder is {@code <logDir>-state},
     * emptied here: a test's broker is new, so state left by an earlier run would describe another cluster.
     */
    public static SuiteConfig withFreePorts(Path modulesDir, Path logDir, String kafkaBootstrap, Database database,
                                            String demoApiKey) {
        var ports = new EnumMap<Service, Integer>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, Ports.free());
        }
        var stateDir = logDir.resolveSibling(logDir.getFileName() + "-state");
        Files2.deleteRecursively(stateDir);
        return new SuiteConfig(modulesDir, logDir, stateDir, ports, 1, Map.of(), kafkaBootstrap, database, demoApiKey,
                DEFAULT_JVM_OPTIONS, Map.of());
    }

    /** This config with {@code replicas} instances per service, each on a free port of its own. */
    public SuiteConfig withReplicas(int replicas) {
        return withReplicas(replicas, (service, number) -> Ports.free());
    }

    /** This config with {@code replicas} instances per service on the given ports (one replica: the public port). */
    public SuiteConfig withReplicas(int replicas, InstancePorts ports) {
        var own = new EnumMap<Service, List<Integer>>(Service.class);
        for (Service service : Service.values()) {
            var list = new ArrayList<Integer>();
            for (int number = 1; number <= replicas; number++) {
                list.add(replicas == 1 ? port(service) : ports.port(service, number));
            }
            own.put(service, list);
        }
        return new SuiteConfig(modulesDir, logDir, stateDir, this.ports, replicas, own, kafkaBootstrap, database,
                demoApiKey, jvmOptions, extraProperties);
    }

    /** This config with one more system property for {@code service}, e.g. a test's tuning. */
    public SuiteConfig withProperty(Service service, String name, String value) {
        var all = new EnumMap<Service, Map<String, String>>(Service.class);
        all.putAll(extraProperties);
        var properties = new LinkedHashMap<>(all.getOrDefault(service, Map.of()));
        properties.put(name, value);
        all.put(service, properties);
        return new SuiteConfig(modulesDir, logDir, stateDir, ports, replicas, instancePorts, kafkaBootstrap, database,
                demoApiKey, jvmOptions, all);
    }

    /** The tenant's LLM features (live coaching, the voice agent, summaries) on a {@link LocalLlm} at {@code baseUrl}. */
    public SuiteConfig withLocalLlm(String tenant, String baseUrl) {
        String prefix = "voicecoach.llm.tenants." + tenant + ".";
        return withProperty(Service.COACHING, prefix + "enabled", "true")
                .withProperty(Service.COACHING, prefix + "base-url", baseUrl)
                .withProperty(Service.COACHING, prefix + "live-model", LocalLlm.MODEL)
                .withProperty(Service.COACHING, prefix + "summary-model", LocalLlm.MODEL);
    }

    /** The public port of a service (a balancer's when there are several instances). */
    public int port(Service service) {
        return ports.get(service);
    }

    /** Every instance of every service, in service order. */
    public List<Instance> instances() {
        var all = new ArrayList<Instance>();
        for (Service service : Service.values()) {
            all.addAll(instances(service));
        }
        return all;
    }

    public List<Instance> instances(Service service) {
        var own = instancePorts.get(service);
        var list = new ArrayList<Instance>();
        for (int number = 1; number <= replicas; number++) {
            list.add(Instance.of(service, number, replicas, own.get(number - 1)));
        }
        return list;
    }

    /** Whether the public ports are served by balancers in front of the instances. */
    public boolean balanced() {
        return replicas > 1;
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

    /**
     * System properties of one instance, in the order they go before {@code -jar}. Other services are reached on their
     * public ports (through the balancers, like Kubernetes Services); Kafka client ids start with the instance name,
     * so a consumer group's assignment shows which instance owns which partition.
     */
    public List<String> systemProperties(Instance instance) {
        var service = instance.service();
        var props = new ArrayList<String>();
        props.add("-Dquarkus.http.port=" + instance.port());
        props.add("-Dkafka.bootstrap.servers=" + kafkaBootstrap);
        props.add("-Dmp.messaging.connector.smallrye-kafka.client-id-prefix=" + instance.name() + "-");
        // every service is on the platform module: it sends and accepts the service credential on /internal/v1/*
        props.add("-Dvoicecoach.auth.service-token=" + LOCAL_SERVICE_TOKEN);
        if (service.usesDatabase()) {
            props.add("-Dquarkus.datasource.jdbc.url=" + database.urlForSchema(service.schema()));
            props.add("-Dquarkus.datasource.username=" + database.user());
            props.add("-Dquarkus.datasource.password=" + database.password());
        }
        switch (service) {
            case GATEWAY -> {
                props.add("-Dvoicecoach.gateway.instance-id=" + instance.name());
                props.add("-Dvoicecoach.bootstrap.tenant-id=" + DEMO_TENANT);
                props.add("-Dvoicecoach.bootstrap.api-key=" + demoApiKey);
            }
            case COACHING -> {
                props.add("-Dkafka-streams.client.id=" + instance.name());
                props.add("-Dkafka-streams.state.dir=" + stateDir(instance).resolve("kafka-streams"));
                props.add("-Dvoicecoach.auth.gateway-url=" + httpUrl(Service.GATEWAY));
                props.add("-Dvoicecoach.agent.tools-url=" + httpUrl(Service.TOOL));
            }
            case TOOL -> {
                props.add("-Dvoicecoach.tools.seed-tenant=" + DEMO_TENANT);
                props.add("-Dvoicecoach.auth.gateway-url=" + httpUrl(Service.GATEWAY));
                props.add("-Dvoicecoach.tools.knowledge.base-url=" + httpUrl(Service.COACHING));
            }
            case ANALYTICS -> {
                props.add("-Dvoicecoach.live.instance-id=" + instance.name());
                props.add("-Dvoicecoach.auth.gateway-url=" + httpUrl(Service.GATEWAY));
                props.add("-Dquarkus.rest-client.coaching.url=" + httpUrl(Service.COACHING));
            }
            default -> {
            }
        }
        extraProperties.getOrDefault(service, Map.of()).forEach((name, value) -> props.add("-D" + name + "=" + value));
        return props;
    }

    /** System properties of a service's first instance (with one replica, its only one). */
    public List<String> systemProperties(Service service) {
        return systemProperties(instances(service).getFirst());
    }

    /** Where an instance keeps local state; the same folder again when it restarts. */
    public Path stateDir(Instance instance) {
        return stateDir.resolve(instance.name());
    }

    public Path log(Instance instance) {
        return logDir.resolve(instance.name() + ".log");
    }
}
