package io.voicecoach.systemtest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The CI check of deploy/: renders every overlay with kubectl's kustomize, validates each object against the vendored
 * schemas and checks the invariants of {@link WorkloadChecks} and {@link KafkaChecks} against the services' application.properties. The
 * second half breaks a copy of the rendered manifests (or of a service's properties, or of deploy/ on disk) once per
 * check and shows that the check catches it.
 */
class DeployManifestsTest {

    private static Path repo;
    private static Path kubectl;
    private static Schemas schemas;
    private static List<ServiceConfig> services;
    private static final Map<String, List<ObjectNode>> RENDERED = new TreeMap<>();

    @BeforeAll
    static void renderEveryOverlay() throws IOException {
        repo = Path.of(System.getProperty("voicecoach.repo-dir", "..")).toAbsolutePath().normalize();
        var found = Kustomize.kubectl();
        if (found.isEmpty()) {
            String message = "kubectl (1.27+, with kustomize v5) is not on the PATH; -Ddeploy.kubectl=<path> names it";
            if (System.getenv("CI") != null) {
                fail(message + ": CI must validate deploy/");
            }
            Assumptions.abort(message + "; the deploy/ validation is skipped");
        }
        kubectl = found.get();
        schemas = new Schemas(repo.resolve("deploy/schemas"));
        try (Stream<Path> dirs = Files.list(repo)) {
            services = dirs.filter(d -> d.getFileName().toString().endsWith("-service"))
                    .map(d -> d.resolve("src/main/resources/application.properties")).filter(Files::exists)
                    .sorted().map(ServiceConfig::load).toList();
        }
        assertThat(services).extracting(ServiceConfig::name).hasSize(5);
        try (Stream<Path> overlays = Files.list(repo.resolve("deploy/overlays"))) {
            for (Path overlay : overlays.sorted().toList()) {
                RENDERED.put(overlay.getFileName().toString(), Kustomize.render(kubectl, overlay));
            }
        }
        assertThat(RENDERED).containsKeys("dev", "prod");
        RENDERED.forEach((overlay, objects) -> System.out.println("deploy/overlays/" + overlay + ": " + objects.size()
                + " objects " + objects.stream().collect(Collectors.groupingBy(o -> o.path("kind").asText(),
                TreeMap::new, Collectors.counting()))));
    }

    // ------------------------------------------------------------------------------------------ the manifests pass

    @Test
    void everyOverlayMatchesTheVendoredSchemas() {
        RENDERED.forEach((overlay, objects) -> assertThat(schemas.validate(objects)).as(overlay).isEmpty());
    }

    @Test
    void everyOverlayHoldsTheInvariants() {
        RENDERED.forEach((overlay, objects) -> assertThat(violations(overlay, objects, services)).as(overlay).isEmpty());
    }

    @Test
    void prodScalesEveryConsumerAndDevRunsOnePodOfEach() {
        var prod = new KafkaChecks(RENDERED.get("prod"));
        assertThat(prod.ofKind("ScaledObject")).extracting(o -> o.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("transcription-service", "coaching-service", "tool-service", "analytics-service");
        var dev = new KafkaChecks(RENDERED.get("dev"));
        assertThat(dev.ofKind("ScaledObject")).isEmpty();
        assertThat(dev.ofKind("Deployment")).allSatisfy(d -> assertThat(d.at("/spec/replicas").isMissingNode()).isTrue());
        assertThat(dev.ofKind("KafkaNodePool")).singleElement()
                .satisfies(pool -> assertThat(pool.at("/spec/replicas").asInt()).isEqualTo(1));
    }

    /** What the properties say, for the report and as a guard on the derivation itself. */
    @Test
    void derivesEachServicesKafkaNeedsFromItsProperties() {
        var analytics = service("analytics-service");
        assertThat(analytics.applicationGroups().get("analytics-service").topics())
                .containsExactlyInAnyOrder("voice.sessions", "voice.transcripts", "coach.suggestions", "tool.calls",
                        "tool.results", "agent.speech");
        assertThat(analytics.topicAccess().get("tool.results.dlq")).containsExactly("Write");
        var gateway = service("gateway-service");
        assertThat(gateway.groups().values()).allSatisfy(g -> assertThat(g.prefix()).isTrue());
        assertThat(gateway.groups().keySet()).allSatisfy(g -> assertThat(g).startsWith("gateway-service-"));
        services.forEach(s -> System.out.println(s.name() + ": groups " + s.groups().values() + ", topics "
                + s.topicAccess()));
    }

    // ------------------------------------------------------------------------------------------ broken copies fail

    @Test
    void schemaCheckFailsOnTheRetiredStrimziApiAnUnknownFieldAndAWrongType() {
        var broken = brokenProd(objects -> {
            find(objects, "KafkaTopic", "voice-audio").put("apiVersion", "kafka.strimzi.io/v1beta2");
            container(find(objects, "Deployment", "tool-service")).set("livenesProbe", JsonNodeFactory.instance.objectNode());
            ((ObjectNode) find(objects, "KafkaTopic", "tool-calls").get("spec")).put("partitions", "many");
            ((ObjectNode) find(objects, "ScaledObject", "tool-service").get("spec")).put("minReplicas", 2);
        });
        assertThat(schemas.validate(broken)).hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("KafkaTopic/voice-audio: no schema for kafka.strimzi.io/v1beta2"))
                .anySatisfy(p -> assertThat(p).startsWith("Deployment/tool-service").contains("livenesProbe"))
                .anySatisfy(p -> assertThat(p).startsWith("KafkaTopic/tool-calls").contains("partitions"))
                .anySatisfy(p -> assertThat(p).startsWith("ScaledObject/tool-service").contains("minReplicas"));
    }

    @Test
    void probesAndResourcesCheckFails() {
        var broken = brokenProd(objects -> {
            container(find(objects, "Deployment", "coaching-service")).remove("readinessProbe");
            ((ObjectNode) container(find(objects, "Deployment", "gateway-service")).at("/resources/limits")).remove("cpu");
        });
        assertThat(new WorkloadChecks(broken).probesAndResources()).containsExactlyInAnyOrder(
                "Deployment/coaching-service container coaching-service: no readinessProbe",
                "Deployment/gateway-service container gateway-service: no limits.cpu");
    }

    @Test
    void podSecurityCheckFails() {
        var broken = brokenProd(objects -> {
            ((ObjectNode) container(find(objects, "Deployment", "tool-service")).get("securityContext"))
                    .put("readOnlyRootFilesystem", false);
            ((ObjectNode) find(objects, "Deployment", "analytics-service").at("/spec/template/spec"))
                    .put("automountServiceAccountToken", true);
            ((ObjectNode) find(objects, "Deployment", "gateway-service").at("/spec/template/spec/securityContext"))
                    .remove("runAsNonRoot");
            find(objects, "ServiceAccount", "coaching-service").remove("automountServiceAccountToken");
        });
        assertThat(new WorkloadChecks(broken).podSecurity()).containsExactlyInAnyOrder(
                "Deployment/tool-service container tool-service: readOnlyRootFilesystem is not true",
                "Deployment/analytics-service: automountServiceAccountToken is not false",
                "Deployment/gateway-service: pod securityContext.runAsNonRoot is not true",
                "ServiceAccount/coaching-service: automountServiceAccountToken is not false");
    }

    @Test
    void imagesPinnedCheckFails() {
        var broken = brokenProd(objects -> {
            container(find(objects, "Deployment", "gateway-service")).put("image", "voicecoach/gateway-service:latest");
            container(find(objects, "Deployment", "tool-service")).put("image", "registry:5000/voicecoach/tool-service");
        });
        assertThat(new WorkloadChecks(broken).imagesPinned()).containsExactlyInAnyOrder(
                "Deployment/gateway-service: image voicecoach/gateway-service:latest is not pinned to a version or digest",
                "Deployment/tool-service: image registry:5000/voicecoach/tool-service is not pinned to a version or digest");
    }

    @Test
    void secretValuesCheckFails() {
        var broken = brokenProd(objects -> {
            var secret = objects.getFirst().objectNode().put("apiVersion", "v1").put("kind", "Secret");
            secret.putObject("metadata").put("name", "voicecoach-postgres");
            secret.putObject("stringData").put("password", "change-me");
            objects.add(secret);
            env(find(objects, "Deployment", "gateway-service")).addObject()
                    .put("name", "VOICECOACH_ADMIN_TOKEN").put("value", "vc_operator_0123");
        });
        assertThat(new WorkloadChecks(broken).noSecretValues()).containsExactlyInAnyOrder(
                "Secret/voicecoach-postgres: a Secret with values; create it in the cluster (deploy/README.md)",
                "Deployment/gateway-service: VOICECOACH_ADMIN_TOKEN has a literal value");
    }

    @Test
    void replicasOnAScaledDeploymentFail() {
        var broken = brokenProd(objects -> {
            ((ObjectNode) find(objects, "Deployment", "coaching-service").get("spec")).put("replicas", 2);
            ((ObjectNode) find(objects, "Deployment", "gateway-service").get("spec")).put("replicas", 2);
        });
        assertThat(new WorkloadChecks(broken).noReplicasOnScaledDeployments()).containsExactlyInAnyOrder(
                "Deployment/coaching-service: sets replicas although an autoscaler scales it",
                "Deployment/gateway-service: sets replicas although an autoscaler scales it");
    }

    @Test
    void disruptionBudgetAndSpreadCheckFails() {
        var broken = brokenProd(objects -> {
            objects.remove(find(objects, "PodDisruptionBudget", "tool-service"));
            ((ObjectNode) find(objects, "Deployment", "analytics-service").at("/spec/template/spec"))
                    .remove("topologySpreadConstraints");
        });
        assertThat(new WorkloadChecks(broken).disruptionBudgetsAndSpread()).containsExactlyInAnyOrder(
                "Deployment/tool-service: no PodDisruptionBudget with maxUnavailable 1",
                "Deployment/analytics-service: no topology spread over kubernetes.io/hostname");
    }

    @Test
    void topicsCheckFails() {
        var broken = brokenProd(objects -> {
            ((ObjectNode) find(objects, "KafkaTopic", "voice-audio").get("spec")).put("partitions", 24);
            ((ObjectNode) find(objects, "KafkaTopic", "voice-audio").at("/spec/config")).put("retention.ms", 604800000L);
            objects.remove(find(objects, "KafkaTopic", "tool-calls-dlq"));
            ((ObjectNode) find(objects, "KafkaTopic", "gateway-sessions").at("/spec/config")).put("cleanup.policy", "delete");
        });
        var tool = withProperty("tool-service", Map.of(
                "mp.messaging.incoming.crm-events.connector", "smallrye-kafka",
                "mp.messaging.incoming.crm-events.topic", "crm.events"));
        assertThat(new KafkaChecks(broken).topics(tool)).hasSize(7)
                .anySatisfy(p -> assertThat(p).startsWith("KafkaTopics of Topics.PIPELINE: partition counts differ"
                        + " (co-partitioning): {24=[voice.audio], 48=["))
                .contains("KafkaTopic/voice-audio: raw audio is personal data, retention.ms 604800000 exceeds a day",
                        "KafkaTopic tool.calls.dlq: missing",
                        // the two services whose properties park poison calls there
                        "tool-service names topic tool.calls.dlq in its properties but no KafkaTopic exists",
                        "analytics-service names topic tool.calls.dlq in its properties but no KafkaTopic exists",
                        "KafkaTopic/gateway-sessions: cleanup.policy must be compact",
                        "tool-service names topic crm.events in its properties but no KafkaTopic exists");
    }

    @Test
    void kafkaUserCheckFailsOnAMissingGrantAnExtraGrantAndAForeignGroup() {
        var broken = brokenProd(objects -> {
            var analyticsAcls = (ArrayNode) find(objects, "KafkaUser", "analytics-service").at("/spec/authorization/acls");
            analyticsAcls.remove(4); // Read on tool.results
            var toolAcls = (ArrayNode) find(objects, "KafkaUser", "tool-service").at("/spec/authorization/acls");
            var extra = toolAcls.addObject();
            extra.putObject("resource").put("type", "topic").put("name", "voice.audio").put("patternType", "literal");
            extra.putArray("operations").add("Read");
            var foreign = toolAcls.addObject();
            foreign.putObject("resource").put("type", "group").put("name", "coaching-service").put("patternType", "literal");
            foreign.putArray("operations").add("Read");
        });
        assertThat(new KafkaChecks(broken).kafkaUsers(services)).containsExactlyInAnyOrder(
                "KafkaUser/analytics-service: no Read on topic tool.results",
                "KafkaUser/tool-service: topic voice.audio Read is not needed by tool-service's application.properties",
                "KafkaUser/tool-service: group coaching-service [Read] names another service's group");
    }

    @Test
    void kafkaUserCheckFailsWhenThePropertiesNeedWhatTheUserLacks() {
        var tool = withProperty("tool-service", Map.of(
                "mp.messaging.incoming.transcripts.connector", "smallrye-kafka",
                "mp.messaging.incoming.transcripts.topic", "voice.transcripts",
                "mp.messaging.incoming.transcripts.auto.offset.reset", "earliest"));
        assertThat(new KafkaChecks(RENDERED.get("prod")).kafkaUsers(tool))
                .containsExactly("KafkaUser/tool-service: no Read on topic voice.transcripts");
    }

    @Test
    void autoscalingCheckFails() {
        var broken = brokenProd(objects -> {
            var analytics = (ArrayNode) find(objects, "ScaledObject", "analytics-service").at("/spec/triggers");
            analytics.remove(1); // voice.transcripts
            var coaching = find(objects, "ScaledObject", "coaching-service");
            ((ObjectNode) coaching.at("/spec/triggers/0/metadata")).put("offsetResetPolicy", "latest");
            ((ObjectNode) coaching.at("/spec/triggers/1/metadata"))
                    .put("bootstrapServers", "voicecoach-kafka-bootstrap:9092");
            var tool = find(objects, "ScaledObject", "tool-service");
            ((ObjectNode) tool.get("spec")).put("maxReplicaCount", 100);
            ((ObjectNode) tool.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown"))
                    .put("stabilizationWindowSeconds", 0);
        });
        assertThat(new KafkaChecks(broken).autoscaling(services)).containsExactlyInAnyOrder(
                "ScaledObject/analytics-service: no trigger for group analytics-service on voice.transcripts, its lag is invisible",
                "ScaledObject/coaching-service trigger coaching-service/voice.transcripts: offsetResetPolicy latest but the consumer's auto.offset.reset is earliest",
                "ScaledObject/coaching-service trigger coaching-service/voice.sessions: bootstrap voicecoach-kafka-bootstrap:9092 is not fully qualified (KEDA resolves it in its own namespace)",
                "ScaledObject/tool-service: maxReplicaCount 100 exceeds the 48 partitions, the extra pods would idle",
                "ScaledObject/tool-service: scale-down stabilization under 5 minutes invites rebalance storms");
    }

    @Test
    void autoscalingCheckFailsWhenAGroupReadsATopicWithoutATrigger() {
        var tool = withProperty("tool-service", Map.of(
                "mp.messaging.incoming.results.connector", "smallrye-kafka",
                "mp.messaging.incoming.results.topic", "tool.results",
                "mp.messaging.incoming.results.auto.offset.reset", "earliest"));
        assertThat(new KafkaChecks(RENDERED.get("prod")).autoscaling(tool)).containsExactly(
                "ScaledObject/tool-service: no trigger for group tool-service on tool.results, its lag is invisible");
    }

    @Test
    void deploymentCheckFails() {
        var broken = brokenProd(objects -> {
            for (JsonNode env : env(find(objects, "Deployment", "coaching-service"))) {
                if (env.path("name").asText().equals("QUARKUS_DATASOURCE_JDBC_URL")) {
                    ((ObjectNode) env).put("value", "jdbc:postgresql://voicecoach-db-rw:5432/coaching?sslmode=disable");
                }
            }
            ((ObjectNode) container(find(objects, "Deployment", "tool-service")).at("/ports/0")).put("containerPort", 8080);
            var gatewayEnv = env(find(objects, "Deployment", "gateway-service"));
            for (int i = gatewayEnv.size() - 1; i >= 0; i--) {
                if (gatewayEnv.get(i).path("name").asText().equals("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES")) {
                    gatewayEnv.remove(i);
                }
            }
        });
        assertThat(new WorkloadChecks(broken).deploymentsMatchServices(services)).containsExactlyInAnyOrder(
                "Deployment/coaching-service: the datasource URL does not use sslmode=verify-full: "
                        + "jdbc:postgresql://voicecoach-db-rw:5432/coaching?sslmode=disable",
                "Deployment/tool-service: no container port 8083 (quarkus.http.port)",
                "Deployment/gateway-service: believes forwarded client addresses from any peer (no "
                        + "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES)");
    }

    @Test
    void imageAndShutdownCheckFails() {
        var broken = brokenProd(objects -> {
            container(find(objects, "Deployment", "analytics-service")).put("image", "voicecoach/analytics:0.1.0");
            ((ObjectNode) find(objects, "Deployment", "coaching-service").at("/spec/template/spec"))
                    .put("terminationGracePeriodSeconds", 30);
        });
        assertThat(new WorkloadChecks(broken).deploymentsMatchServices(services)).containsExactlyInAnyOrder(
                "Deployment/analytics-service: image voicecoach/analytics:0.1.0 is not voicecoach/analytics-service"
                        + " (quarkus.container-image.group/name)",
                "Deployment/coaching-service: stopping may take 45 s (preStop 5 s, drain 0 s, shutdown.timeout 30 s,"
                        + " Kafka clients 10 s), more than terminationGracePeriodSeconds 30");
        // the gateway's drain counts too
        assertThat(new WorkloadChecks(RENDERED.get("prod")).deploymentsMatchServices(withProperty("gateway-service",
                Map.of("voicecoach.gateway.drain-timeout", "50s")))).containsExactly(
                "Deployment/gateway-service: stopping may take 70 s (preStop 5 s, drain 50 s, shutdown.timeout 5 s,"
                        + " Kafka clients 10 s), more than terminationGracePeriodSeconds 60");
    }

    @Test
    void networkAndIngressCheckFails() {
        var broken = brokenProd(objects -> {
            objects.remove(find(objects, "NetworkPolicy", "default-deny"));
            var transcription = (ObjectNode) find(objects, "NetworkPolicy", "transcription-service").get("spec");
            transcription.withArray("ingress").addObject().putArray("from").addObject().putObject("namespaceSelector")
                    .putObject("matchLabels").put("kubernetes.io/metadata.name", "ingress-nginx");
            var ingress = find(objects, "Ingress", "voicecoach");
            var paths = (ArrayNode) ingress.at("/spec/rules/0/http/paths");
            ((ObjectNode) paths.get(0).at("/backend/service")).put("name", "tool-service");
            paths.addObject().put("path", "/internal/v1").put("pathType", "Prefix").putObject("backend")
                    .putObject("service").put("name", "gateway-service").putObject("port").put("name", "http");
            paths.addObject().put("path", "/api/v1/sessions").put("pathType", "Prefix").putObject("backend")
                    .putObject("service").put("name", "coaching-service").putObject("port").put("name", "http");
            ((ObjectNode) ingress.get("spec")).remove("tls");
        });
        assertThat(new WorkloadChecks(broken).networkAndIngress()).containsExactlyInAnyOrder(
                "NetworkPolicy: no default deny (Ingress and Egress) for app.kubernetes.io/part-of=voicecoach",
                "NetworkPolicy/transcription-service: admits the Ingress controller to transcription-service",
                "Ingress/voicecoach: host voicecoach.example.com has no TLS",
                "Ingress/voicecoach: routes /v1/realtime to tool-service",
                "Ingress/voicecoach: routes /internal/v1 to gateway-service",
                "Ingress/voicecoach: routes /api/v1/sessions to coaching-service");
    }

    @Test
    void everyFileOfTheRepsPageReachesTheGatewayThroughTheIngress() throws IOException {
        var files = pageFiles();
        assertThat(files).contains("index.html", "app.js", "agent-voice.js");
        RENDERED.forEach((overlay, objects) -> assertThat(new WorkloadChecks(objects).pageRouted(files)).as(overlay)
                .isEmpty());
        var broken = brokenProd(objects -> {
            var paths = (ArrayNode) find(objects, "Ingress", "voicecoach").at("/spec/rules/0/http/paths");
            for (int i = paths.size() - 1; i >= 0; i--) {
                if (paths.get(i).path("path").asText().equals("/agent-voice.js")) {
                    paths.remove(i);
                }
            }
        });
        assertThat(new WorkloadChecks(broken).pageRouted(files))
                .containsExactly("Ingress: the page's /agent-voice.js does not reach gateway-service");
    }

    /** The gateway's static files: the rep's page. */
    private static List<String> pageFiles() throws IOException {
        try (var listing = Files.list(repo.resolve("gateway-service/src/main/resources/META-INF/resources"))) {
            return listing.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** A broken file in a copy of deploy/: the retired Strimzi API fails the schemas, a dangling resource the render. */
    /** Every pipeline and call-keyed topic, the dead-letter twin of each one not compacted, and gateway.instances. */
    private static final int KAFKA_TOPICS = (int) (Topics.PIPELINE.size() * 2
            - Topics.PIPELINE.stream().filter(Topics.COMPACTED::contains).count() + Topics.BY_CALL.size() * 2 + 1);

    @Test
    void brokenCopiesOfDeployOnDiskFail(@TempDir Path copy) throws IOException {
        copyTree(repo.resolve("deploy"), copy);
        Path topics = copy.resolve("base/kafka/topics.yaml");
        Files.writeString(topics, Files.readString(topics).replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2"));
        assertThat(schemas.validate(Kustomize.render(kubectl, copy.resolve("overlays/dev"))))
                .hasSize(KAFKA_TOPICS).allSatisfy(p -> assertThat(p).contains("no schema for kafka.strimzi.io/v1beta2 KafkaTopic"));

        Path kustomization = copy.resolve("base/kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization)
                .replace("  - ingress.yaml", "  - ingress.yaml\n  - services/speech-service.yaml"));
        assertThatThrownBy(() -> Kustomize.render(kubectl, copy.resolve("overlays/prod")))
                .isInstanceOf(Kustomize.RenderException.class).hasMessageContaining("speech-service.yaml");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Every check that applies to an overlay; dev runs one pod of each service and has no autoscalers or budgets. */
    static List<String> violations(String overlay, List<ObjectNode> objects, List<ServiceConfig> services) {
        var workloads = new WorkloadChecks(objects);
        var kafka = new KafkaChecks(objects);
        var all = new ArrayList<String>();
        all.addAll(workloads.probesAndResources());
        all.addAll(workloads.podSecurity());
        all.addAll(workloads.imagesPinned());
        all.addAll(workloads.noSecretValues());
        all.addAll(workloads.noReplicasOnScaledDeployments());
        all.addAll(workloads.deploymentsMatchServices(services));
        all.addAll(workloads.networkAndIngress());
        all.addAll(kafka.topics(services));
        all.addAll(kafka.kafkaUsers(services));
        if (!overlay.equals("dev")) {
            all.addAll(kafka.autoscaling(services));
            all.addAll(workloads.disruptionBudgetsAndSpread());
        }
        return all;
    }

    private static List<ObjectNode> brokenProd(Consumer<List<ObjectNode>> breakIt) {
        var copy = RENDERED.get("prod").stream().map(ObjectNode::deepCopy).collect(Collectors.toCollection(ArrayList::new));
        assertThat(violations("prod", copy, services)).as("the copy passes before it is broken").isEmpty();
        breakIt.accept(copy);
        return copy;
    }

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                && name.equals(o.at("/metadata/name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
    }

    private static ArrayNode env(ObjectNode deployment) {
        return (ArrayNode) container(deployment).get("env");
    }

    private static ServiceConfig service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** The services, with a copy of one service's properties plus {@code extra}. */
    private static List<ServiceConfig> withProperty(String name, Map<String, String> extra) {
        Function<ServiceConfig, ServiceConfig> change = s -> {
            if (!s.name().equals(name)) {
                return s;
            }
            var properties = new TreeMap<>(ServiceConfig.prodProperties(
                    repo.resolve(name + "/src/main/resources/application.properties")));
            properties.putAll(extra);
            return ServiceConfig.of(properties);
        };
        return services.stream().map(change).toList();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
