package io.voicecoach.systemtest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.Topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The invariants a rendered overlay must hold beyond its schemas. Each check returns its violations as
 * "Kind/name: what is wrong"; an empty list passes. Kafka expectations come from the services'
 * application.properties ({@link ServiceConfig}) and the events module's {@link Topics}, never from a copy.
 */
final class ManifestChecks {

    /** The only services clients reach through the Ingress. */
    static final Set<String> INGRESS_SERVICES = Set.of("gateway-service", "analytics-service");
    private static final String INGRESS_NAMESPACE = "ingress-nginx";
    private static final Pattern SECRET_LIKE = Pattern.compile("(?i).*(password|secret|token|api[-_]?key|credential).*");

    /**
     * Grants that the services' properties do not name yet but the state handling of issue 13 (in progress) needs:
     * the gateway's compacted session and instance topics, coaching's Kafka Streams topics and transactions.
     * Remove an entry once the service's properties name it (the check then requires it anyway).
     */
    static final Set<String> GRANTS_AHEAD_OF_PROPERTIES = Set.of(
            "gateway-service topic gateway.sessions", "gateway-service topic gateway.instances",
            "coaching-service topic agent.replies",
            "coaching-service topic coaching-service- (prefix)",
            "coaching-service transactionalId coaching-service- (prefix)");

    private final List<ObjectNode> objects;

    ManifestChecks(List<ObjectNode> objects) {
        this.objects = objects;
    }

    // ---------------------------------------------------------------- containers and pods

    /** Every container has readiness and liveness probes, CPU and memory requests and limits. */
    List<String> probesAndResources() {
        var problems = new ArrayList<String>();
        for (ObjectNode deployment : ofKind("Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                String id = id(deployment) + " container " + container.path("name").asText();
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    if (container.path(probe).isMissingNode()) {
                        problems.add(id + ": no " + probe);
                    }
                }
                for (String section : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (container.path("resources").path(section).path(resource).isMissingNode()) {
                            problems.add(id + ": no " + section + "." + resource);
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** Non-root, read-only root file system, no privilege escalation, no capabilities, no service-account token. */
    List<String> podSecurity() {
        var problems = new ArrayList<String>();
        for (ObjectNode deployment : ofKind("Deployment")) {
            JsonNode pod = deployment.at("/spec/template/spec");
            String id = id(deployment);
            if (!pod.at("/securityContext/runAsNonRoot").asBoolean(false)) {
                problems.add(id + ": pod securityContext.runAsNonRoot is not true");
            }
            if (!"RuntimeDefault".equals(pod.at("/securityContext/seccompProfile/type").asText())) {
                problems.add(id + ": pod seccompProfile is not RuntimeDefault");
            }
            if (pod.path("automountServiceAccountToken").asBoolean(true)) {
                problems.add(id + ": automountServiceAccountToken is not false");
            }
            for (JsonNode container : pod.path("containers")) {
                String c = id + " container " + container.path("name").asText();
                JsonNode security = container.path("securityContext");
                if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
                    problems.add(c + ": readOnlyRootFilesystem is not true");
                }
                if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
                    problems.add(c + ": allowPrivilegeEscalation is not false");
                }
                if (!texts(security.at("/capabilities/drop")).contains("ALL")) {
                    problems.add(c + ": capabilities do not drop ALL");
                }
                if (!mountPaths(container).contains("/tmp")) {
                    problems.add(c + ": no writable /tmp (the root file system is read-only)");
                }
            }
        }
        for (ObjectNode account : ofKind("ServiceAccount")) {
            if (account.path("automountServiceAccountToken").asBoolean(true)) {
                problems.add(id(account) + ": automountServiceAccountToken is not false");
            }
        }
        return problems;
    }

    /** Every image names a version (a tag other than latest) or a digest. */
    List<String> imagesPinned() {
        var problems = new ArrayList<String>();
        for (ObjectNode deployment : ofKind("Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                String image = container.path("image").asText();
                String last = image.substring(image.lastIndexOf('/') + 1);
                boolean digest = image.contains("@sha256:");
                boolean tagged = last.contains(":") && !last.endsWith(":latest");
                if (!digest && !tagged) {
                    problems.add(id(deployment) + ": image " + image + " is not pinned to a version or digest");
                }
            }
        }
        for (ObjectNode cluster : ofKind("Cluster")) {
            String image = cluster.at("/spec/imageName").asText();
            if (!image.isEmpty() && (!image.substring(image.lastIndexOf('/') + 1).contains(":") || image.endsWith(":latest"))) {
                problems.add(id(cluster) + ": imageName " + image + " is not pinned");
            }
        }
        return problems;
    }

    /** No Secret with values in git; an environment variable that looks like a credential comes from a Secret. */
    List<String> noSecretValues() {
        var problems = new ArrayList<String>();
        for (ObjectNode secret : ofKind("Secret")) {
            if (secret.has("data") || secret.has("stringData")) {
                problems.add(id(secret) + ": a Secret with values; create it in the cluster (deploy/README.md)");
            }
        }
        for (ObjectNode deployment : ofKind("Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                for (JsonNode env : container.path("env")) {
                    String name = env.path("name").asText();
                    if (SECRET_LIKE.matcher(name).matches() && env.has("value")) {
                        problems.add(id(deployment) + ": " + name + " has a literal value");
                    }
                }
            }
        }
        for (ObjectNode configMap : ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> {
                if (SECRET_LIKE.matcher(key).matches()) {
                    problems.add(id(configMap) + ": " + key + " looks like a credential in a ConfigMap");
                }
            });
        }
        return problems;
    }

    /** A Deployment an autoscaler owns sets no replica count (every apply would reset the scale). */
    List<String> noReplicasOnScaledDeployments() {
        var scaled = new HashSet<String>();
        ofKind("ScaledObject").forEach(o -> scaled.add(o.at("/spec/scaleTargetRef/name").asText()));
        ofKind("HorizontalPodAutoscaler").forEach(o -> scaled.add(o.at("/spec/scaleTargetRef/name").asText()));
        var problems = new ArrayList<String>();
        for (ObjectNode deployment : ofKind("Deployment")) {
            if (scaled.contains(name(deployment)) && deployment.at("/spec/replicas").isNumber()) {
                problems.add(id(deployment) + ": sets replicas although an autoscaler scales it");
            }
        }
        return problems;
    }

    /** Every Deployment has a PodDisruptionBudget with maxUnavailable 1 and spreads its pods over nodes. */
    List<String> disruptionBudgetsAndSpread() {
        var problems = new ArrayList<String>();
        for (ObjectNode deployment : ofKind("Deployment")) {
            JsonNode labels = deployment.at("/spec/template/metadata/labels");
            boolean covered = ofKind("PodDisruptionBudget").stream().anyMatch(pdb ->
                    selects(pdb.at("/spec/selector/matchLabels"), labels)
                            && pdb.at("/spec/maxUnavailable").asInt(-1) == 1);
            if (!covered) {
                problems.add(id(deployment) + ": no PodDisruptionBudget with maxUnavailable 1");
            }
            var keys = new HashSet<String>();
            deployment.at("/spec/template/spec/topologySpreadConstraints")
                    .forEach(c -> keys.add(c.path("topologyKey").asText()));
            if (!keys.contains("kubernetes.io/hostname")) {
                problems.add(id(deployment) + ": no topology spread over kubernetes.io/hostname");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- Kafka

    /**
     * KafkaTopics: exactly the pipeline topics, their dead-letter twins and the compacted state topics; every pipeline
     * topic with the same partition count; compacted where {@link Topics#COMPACTED} says so (gateway.instances with
     * one partition); raw audio kept at most a day; every topic a service's properties name exists.
     */
    List<String> topics(Collection<ServiceConfig> services) {
        var problems = new ArrayList<String>();
        var byName = new TreeMap<String, ObjectNode>();
        ofKind("KafkaTopic").forEach(t -> byName.put(topicName(t), t));
        var expected = new TreeSet<String>(Topics.PIPELINE);
        expected.addAll(Topics.COMPACTED);
        for (String topic : Topics.PIPELINE) {
            if (!Topics.COMPACTED.contains(topic)) {
                expected.add(Topics.deadLetter(topic));
            }
        }
        for (String missing : difference(expected, byName.keySet())) {
            problems.add("KafkaTopic " + missing + ": missing");
        }
        for (String extra : difference(byName.keySet(), expected)) {
            problems.add("KafkaTopic " + extra + ": not a topic of the pipeline (events Topics)");
        }
        var partitions = Topics.PIPELINE.stream().filter(byName::containsKey)
                .collect(Collectors.groupingBy(t -> byName.get(t).at("/spec/partitions").asInt(), TreeMap::new,
                        Collectors.toCollection(TreeSet::new)));
        if (partitions.size() > 1) {
            problems.add("KafkaTopics of Topics.PIPELINE: partition counts differ (co-partitioning): " + partitions);
        }
        byName.forEach((topic, object) -> {
            boolean compacted = "compact".equals(object.at("/spec/config/cleanup.policy").asText());
            if (compacted != Topics.COMPACTED.contains(topic)) {
                problems.add(id(object) + ": cleanup.policy must be " + (compacted ? "delete" : "compact"));
            }
        });
        Optional.ofNullable(byName.get(Topics.GATEWAY_INSTANCES))
                .filter(t -> t.at("/spec/partitions").asInt() != 1)
                .ifPresent(t -> problems.add(id(t) + ": gateway.instances has one partition"));
        for (String audio : List.of(Topics.AUDIO, Topics.deadLetter(Topics.AUDIO))) {
            Optional.ofNullable(byName.get(audio)).ifPresent(t -> {
                long retention = t.at("/spec/config/retention.ms").asLong(Long.MAX_VALUE);
                if (retention > 86_400_000L) {
                    problems.add(id(t) + ": raw audio is personal data, retention.ms " + retention + " exceeds a day");
                }
            });
        }
        for (ServiceConfig service : services) {
            for (String topic : difference(service.topics(), byName.keySet())) {
                problems.add(service.name() + " names topic " + topic + " in its properties but no KafkaTopic exists");
            }
        }
        return problems;
    }

    /**
     * Each service's KafkaUser grants what its properties need (topics read and written, its consumer groups, a
     * Streams application's internal topics and transactional ids) and nothing else: every grant is justified by a
     * need or listed in {@link #GRANTS_AHEAD_OF_PROPERTIES}; no wildcard, no other service's group.
     */
    List<String> kafkaUsers(Collection<ServiceConfig> services) {
        var problems = new ArrayList<String>();
        var topics = new HashSet<String>();
        ofKind("KafkaTopic").forEach(t -> topics.add(topicName(t)));
        for (ServiceConfig service : services) {
            Optional<ObjectNode> user = named("KafkaUser", service.name());
            if (user.isEmpty()) {
                problems.add("KafkaUser/" + service.name() + ": missing");
                continue;
            }
            String id = id(user.get());
            if (!"tls".equals(user.get().at("/spec/authentication/type").asText())) {
                problems.add(id + ": authentication is not tls");
            }
            var acls = new ArrayList<Acl>();
            user.get().at("/spec/authorization/acls").forEach(a -> acls.add(Acl.of(a)));
            var justified = new HashSet<Acl>();
            // topics: each read/write need is granted
            service.topicAccess().forEach((topic, operations) -> {
                for (String operation : operations) {
                    var grant = acls.stream().filter(a -> a.covers("topic", topic) && a.operations().contains(operation))
                            .findFirst();
                    grant.ifPresentOrElse(justified::add,
                            () -> problems.add(id + ": no " + operation + " on topic " + topic));
                }
            });
            for (String topic : service.streamsTopics()) {
                var grants = acls.stream().filter(a -> a.covers("topic", topic)
                        && (a.operations().contains("Read") || a.operations().contains("Write"))).toList();
                if (grants.isEmpty()) {
                    problems.add(id + ": no Read or Write on Kafka Streams topic " + topic);
                }
                justified.addAll(grants);
            }
            // groups: literal and per-instance prefix
            for (ServiceConfig.Group group : service.groups().values()) {
                var grant = acls.stream().filter(a -> a.type().equals("group") && a.operations().contains("Read")
                        && (group.prefix() ? a.prefix() && group.name().startsWith(a.name()) : a.covers("group", group.name())))
                        .findFirst();
                grant.ifPresentOrElse(justified::add, () -> problems.add(id + ": no Read on " + (group.prefix()
                        ? "group prefix " : "group ") + group.name()));
            }
            if (service.streamsApplicationId() != null) {
                String prefix = service.streamsApplicationId() + "-";
                requirePrefix(acls, "topic", prefix, Set.of("Create", "Read", "Write"), id, problems, justified);
                requirePrefix(acls, "transactionalId", prefix, Set.of("Write"), id, problems, justified);
            }
            for (Acl acl : acls) {
                String where = id + ": " + acl;
                if (acl.name().isEmpty() || acl.name().equals("*")) {
                    problems.add(where + " is a wildcard");
                } else if ((acl.type().equals("group") || acl.type().equals("transactionalId"))
                        && !(acl.name().equals(service.name()) || acl.name().startsWith(service.name() + "-"))) {
                    problems.add(where + " names another service's " + acl.type());
                } else if (acl.type().equals("cluster")) {
                    problems.add(where + ": no service needs cluster operations");
                } else if (!justified.contains(acl) && !GRANTS_AHEAD_OF_PROPERTIES.contains(service.name() + " " + acl.key())) {
                    problems.add(where + " is not needed by " + service.name() + "'s application.properties");
                }
                if (acl.type().equals("topic") && !acl.prefix() && !topics.contains(acl.name())) {
                    problems.add(where + " names a topic with no KafkaTopic");
                }
            }
        }
        return problems;
    }

    private static void requirePrefix(List<Acl> acls, String type, String prefix, Set<String> operations, String id,
                                      List<String> problems, Set<Acl> justified) {
        acls.stream().filter(a -> a.type().equals(type) && a.prefix() && a.name().equals(prefix)
                        && a.operations().containsAll(operations)).findFirst()
                .ifPresentOrElse(justified::add,
                        () -> problems.add(id + ": no " + operations + " on " + type + " prefix " + prefix));
    }

    /** One ACL of a KafkaUser. */
    record Acl(String type, String name, boolean prefix, Set<String> operations) {
        static Acl of(JsonNode acl) {
            return new Acl(acl.at("/resource/type").asText(), acl.at("/resource/name").asText(),
                    "prefix".equals(acl.at("/resource/patternType").asText()), new TreeSet<>(texts(acl.path("operations"))));
        }

        boolean covers(String resourceType, String resource) {
            return type.equals(resourceType) && (prefix ? resource.startsWith(name) : resource.equals(name));
        }

        String key() {
            return type + " " + name + (prefix ? " (prefix)" : "");
        }

        @Override
        public String toString() {
            return key() + " " + operations;
        }
    }

    /**
     * The autoscalers: each service with an application consumer group has a ScaledObject. A Kafka trigger names that
     * group, one trigger per topic the group reads (all of them), the group's auto.offset.reset as offsetResetPolicy,
     * a fully qualified bootstrap address and TLS through a TriggerAuthentication that exists; a service scaled on
     * something else (transcription: decoders and CPU) has no Kafka trigger at all. maxReplicaCount stays within the
     * partitions, scale-down is slowed against rebalance storms, and the gateway has an HPA.
     */
    List<String> autoscaling(Collection<ServiceConfig> services) {
        var problems = new ArrayList<String>();
        int partitions = ofKind("KafkaTopic").stream().filter(t -> topicName(t).equals(Topics.SESSIONS))
                .mapToInt(t -> t.at("/spec/partitions").asInt()).findFirst().orElse(Integer.MAX_VALUE);
        var authentications = new HashSet<String>();
        ofKind("TriggerAuthentication").forEach(t -> authentications.add(name(t)));
        for (ServiceConfig service : services) {
            var groups = service.applicationGroups();
            if (groups.isEmpty()) {
                continue;
            }
            Optional<ObjectNode> scaled = named("ScaledObject", service.name());
            if (scaled.isEmpty()) {
                problems.add("ScaledObject/" + service.name() + ": missing (the service consumes with group "
                        + groups.keySet() + ")");
                continue;
            }
            String id = id(scaled.get());
            JsonNode spec = scaled.get().path("spec");
            if (!spec.at("/scaleTargetRef/name").asText().equals(service.name())) {
                problems.add(id + ": scales " + spec.at("/scaleTargetRef/name").asText());
            }
            if (spec.path("maxReplicaCount").asInt(Integer.MAX_VALUE) > partitions) {
                problems.add(id + ": maxReplicaCount " + spec.path("maxReplicaCount").asText()
                        + " exceeds the " + partitions + " partitions, the extra pods would idle");
            }
            if (spec.path("minReplicaCount").asInt(0) < 2) {
                problems.add(id + ": minReplicaCount below 2 (one pod killed would stop the stage)");
            }
            if (spec.at("/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown/stabilizationWindowSeconds")
                    .asInt(0) < 300) {
                problems.add(id + ": scale-down stabilization under 5 minutes invites rebalance storms");
            }
            var kafkaTriggers = new ArrayList<JsonNode>();
            spec.path("triggers").forEach(t -> {
                if (t.path("type").asText().equals("kafka")) {
                    kafkaTriggers.add(t);
                }
            });
            if (kafkaTriggers.isEmpty()) {
                boolean other = false;
                for (JsonNode t : spec.path("triggers")) {
                    other |= Set.of("cpu", "prometheus").contains(t.path("type").asText());
                }
                if (!other) {
                    problems.add(id + ": neither Kafka lag nor a cpu/prometheus trigger");
                }
                continue;
            }
            var seen = new TreeMap<String, Set<String>>();
            for (JsonNode trigger : kafkaTriggers) {
                JsonNode metadata = trigger.path("metadata");
                String group = metadata.path("consumerGroup").asText();
                String topic = metadata.path("topic").asText();
                String where = id + " trigger " + group + "/" + (topic.isEmpty() ? "(all topics)" : topic);
                ServiceConfig.Group expected = groups.get(group);
                if (expected == null) {
                    problems.add(where + ": " + service.name() + " has no consumer group " + group);
                    continue;
                }
                if (topic.isEmpty()) {
                    problems.add(where + ": no topic; a group without committed offsets would show no lag");
                    continue;
                }
                seen.computeIfAbsent(group, g -> new TreeSet<>()).add(topic);
                String reset = expected.offsetReset().get(topic);
                if (reset == null) {
                    problems.add(where + ": group " + group + " does not read " + topic);
                } else if (!reset.equals(metadata.path("offsetResetPolicy").asText("latest"))) {
                    problems.add(where + ": offsetResetPolicy " + metadata.path("offsetResetPolicy").asText("latest")
                            + " but the consumer's auto.offset.reset is " + reset);
                }
                for (String server : metadata.path("bootstrapServers").asText().split(",")) {
                    if (!server.contains(".svc")) {
                        problems.add(where + ": bootstrap " + server + " is not fully qualified (KEDA resolves it in"
                                + " its own namespace)");
                    }
                }
                if (!"enable".equals(metadata.path("tls").asText())) {
                    problems.add(where + ": TLS is not enabled");
                }
                String auth = trigger.at("/authenticationRef/name").asText();
                if (!authentications.contains(auth)) {
                    problems.add(where + ": TriggerAuthentication '" + auth + "' does not exist");
                }
            }
            groups.forEach((group, expected) -> {
                for (String topic : difference(expected.topics(), seen.getOrDefault(group, Set.of()))) {
                    problems.add(id + ": no trigger for group " + group + " on " + topic + ", its lag is invisible");
                }
            });
        }
        if (named("HorizontalPodAutoscaler", "gateway-service").isEmpty()
                && named("ScaledObject", "gateway-service").isEmpty()) {
            problems.add("gateway-service: no autoscaler");
        }
        return problems;
    }

    // ---------------------------------------------------------------- services and network

    /**
     * Each service runs as a Deployment whose container port is its quarkus.http.port, mounts its own KafkaUser's
     * certificate, and, when it has a datasource, connects with sslmode=verify-full.
     */
    List<String> deploymentsMatchServices(Collection<ServiceConfig> services) {
        var problems = new ArrayList<String>();
        for (ServiceConfig service : services) {
            Optional<ObjectNode> deployment = named("Deployment", service.name());
            if (deployment.isEmpty()) {
                problems.add("Deployment/" + service.name() + ": missing");
                continue;
            }
            String id = id(deployment.get());
            JsonNode pod = deployment.get().at("/spec/template/spec");
            JsonNode container = pod.path("containers").path(0);
            var ports = new HashSet<Integer>();
            container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
            if (!ports.contains(service.httpPort())) {
                problems.add(id + ": no container port " + service.httpPort() + " (quarkus.http.port)");
            }
            var secrets = new HashSet<String>();
            pod.path("volumes").forEach(v -> secrets.add(v.at("/secret/secretName").asText()));
            if (!secrets.contains(service.name())) {
                problems.add(id + ": does not mount the Secret of KafkaUser " + service.name());
            }
            String jdbc = "";
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("QUARKUS_DATASOURCE_JDBC_URL")) {
                    jdbc = env.path("value").asText();
                }
            }
            if (service.datasource() && !jdbc.contains("sslmode=verify-full")) {
                problems.add(id + ": the datasource URL does not use sslmode=verify-full: " + jdbc);
            }
            if (!service.datasource() && !jdbc.isEmpty()) {
                problems.add(id + ": sets a datasource although the service has none");
            }
        }
        return problems;
    }

    /**
     * A default-deny policy covers every VoiceCoach pod in both directions; only the gateway and analytics admit
     * traffic from the Ingress controller, and only they are Ingress backends; the Ingress serves TLS for each host.
     */
    List<String> networkAndIngress() {
        var problems = new ArrayList<String>();
        boolean defaultDeny = ofKind("NetworkPolicy").stream().anyMatch(p -> {
            JsonNode labels = p.at("/spec/podSelector/matchLabels");
            return labels.size() == 1 && "voicecoach".equals(labels.path("app.kubernetes.io/part-of").asText())
                    && texts(p.at("/spec/policyTypes")).containsAll(List.of("Ingress", "Egress"))
                    && p.at("/spec/ingress").isMissingNode() && p.at("/spec/egress").isMissingNode();
        });
        if (!defaultDeny) {
            problems.add("NetworkPolicy: no default deny (Ingress and Egress) for app.kubernetes.io/part-of=voicecoach");
        }
        for (ObjectNode policy : ofKind("NetworkPolicy")) {
            boolean fromIngressController = false;
            for (JsonNode rule : policy.at("/spec/ingress")) {
                for (JsonNode peer : rule.path("from")) {
                    fromIngressController |= INGRESS_NAMESPACE.equals(
                            peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
                    if (peer.has("ipBlock")) {
                        problems.add(id(policy) + ": admits traffic from an IP block");
                    }
                }
            }
            String selected = policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText();
            if (fromIngressController && !INGRESS_SERVICES.contains(selected)) {
                problems.add(id(policy) + ": admits the Ingress controller to " + (selected.isEmpty()
                        ? policy.at("/spec/podSelector") : selected));
            }
        }
        for (ObjectNode ingress : ofKind("Ingress")) {
            var tlsHosts = new HashSet<String>();
            ingress.at("/spec/tls").forEach(t -> tlsHosts.addAll(texts(t.path("hosts"))));
            for (JsonNode rule : ingress.at("/spec/rules")) {
                if (!tlsHosts.contains(rule.path("host").asText())) {
                    problems.add(id(ingress) + ": host " + rule.path("host").asText() + " has no TLS");
                }
                for (JsonNode path : rule.at("/http/paths")) {
                    String backend = path.at("/backend/service/name").asText();
                    if (!INGRESS_SERVICES.contains(backend)) {
                        problems.add(id(ingress) + ": routes " + path.path("path").asText() + " to " + backend);
                    }
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- helpers

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText())) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> mountPaths(JsonNode container) {
        var paths = new HashSet<String>();
        container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }

    private static String topicName(JsonNode topic) {
        String name = topic.at("/spec/topicName").asText();
        return name.isEmpty() ? name(topic) : name;
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> difference(Collection<String> a, Collection<String> b) {
        var out = new LinkedHashSet<>(a);
        out.removeAll(b);
        return out;
    }
}
