package io.voicecoach.systemtest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.Topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Kafka invariants: topics, each service's KafkaUser ACLs and its autoscaler, all derived from the services'
 * application.properties ({@link ServiceConfig}) and the events module's {@link Topics}, never from a copy. Each check
 * returns its violations as "Kind/name: what is wrong"; an empty list passes.
 */
final class KafkaChecks extends Manifests {

    /**
     * Grants no SmallRye channel or Kafka Streams property names: the gateway reads and writes its compacted session
     * and instance topics with clients it configures itself (no consumer group; see gateway-service's
     * application.properties "Resume").
     */
    static final Set<String> GRANTS_NOT_IN_PROPERTIES = Set.of(
            "gateway-service topic gateway.sessions Read", "gateway-service topic gateway.sessions Write",
            "gateway-service topic gateway.instances Read", "gateway-service topic gateway.instances Write",
            // the replay API reads the suggestions shown live with an assign-only consumer, not a channel
            "coaching-service topic coach.suggestions Read");

    KafkaChecks(List<ObjectNode> objects) {
        super(objects);
    }

    /**
     * KafkaTopics: exactly the pipeline topics, the call-keyed ones ({@link Topics#BY_CALL}), their dead-letter twins
     * and the compacted state topics; every pipeline
     * topic with the same partition count; compacted where {@link Topics#COMPACTED} says so (gateway.instances with
     * one partition); raw audio kept at most a day; every topic a service's properties name exists.
     */
    List<String> topics(Collection<ServiceConfig> services) {
        var problems = new ArrayList<String>();
        var byName = new TreeMap<String, ObjectNode>();
        ofKind("KafkaTopic").forEach(t -> byName.put(topicName(t), t));
        var expected = new TreeSet<String>(Topics.PIPELINE);
        expected.addAll(Topics.COMPACTED);
        expected.addAll(Topics.BY_CALL);
        for (String topic : expected.stream().toList()) {
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
     * Streams application's internal topics and transactional ids) and nothing else: every operation of every ACL
     * (Describe aside, which Read and Write imply) answers a need or is listed in {@link #GRANTS_NOT_IN_PROPERTIES};
     * no wildcard, no cluster operation, no other service's group or transactional id.
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
            for (String need : needs(service)) {
                if (acls.stream().noneMatch(acl -> acl.grants(need))) {
                    problems.add(id + ": no " + need);
                }
            }
            for (Acl acl : acls) {
                String where = id + ": " + acl;
                if (acl.name().isEmpty() || acl.name().equals("*")) {
                    problems.add(where + " is a wildcard");
                } else if (acl.type().equals("cluster")) {
                    problems.add(where + ": no service needs cluster operations");
                } else if ((acl.type().equals("group") || acl.type().equals("transactionalId"))
                        && !(acl.name().equals(service.name()) || acl.name().startsWith(service.name() + "-"))) {
                    problems.add(where + " names another service's " + acl.type());
                } else {
                    for (String operation : acl.operations()) {
                        if (!operation.equals("Describe") && !needed(service, acl, operation)) {
                            problems.add(id + ": " + acl.key() + " " + operation + " is not needed by "
                                    + service.name() + "'s application.properties");
                        }
                    }
                }
                if (acl.type().equals("topic") && !acl.prefix() && !topics.contains(acl.name())) {
                    problems.add(where + " names a topic with no KafkaTopic");
                }
            }
        }
        return problems;
    }

    /** What the properties need, each as "Operation on type name" (a prefix as "type prefix name"). */
    private static List<String> needs(ServiceConfig service) {
        var needs = new ArrayList<String>();
        service.topicAccess().forEach((topic, operations) ->
                operations.forEach(operation -> needs.add(operation + " on topic " + topic)));
        service.groups().values().forEach(group -> needs.add("Read on group " + (group.prefix() ? "prefix " : "")
                + group.name()));
        if (service.streamsApplicationId() != null) {
            String prefix = service.streamsApplicationId() + "-";
            for (String operation : List.of("Create", "Read", "Write")) {
                needs.add(operation + " on topic prefix " + prefix);
            }
            needs.add("Write on transactionalId prefix " + prefix);
        }
        return needs;
    }

    /** Whether {@code operation} of {@code acl} answers a need of the service's properties. */
    private static boolean needed(ServiceConfig service, Acl acl, String operation) {
        if (GRANTS_NOT_IN_PROPERTIES.contains(service.name() + " " + acl.key() + " " + operation)) {
            return true;
        }
        boolean streamsPrefix = service.streamsApplicationId() != null && acl.prefix()
                && acl.name().equals(service.streamsApplicationId() + "-");
        return switch (acl.type()) {
            case "topic" -> streamsPrefix
                    ? Set.of("Create", "Delete", "DescribeConfigs", "Read", "Write").contains(operation)
                    : service.topicAccess().entrySet().stream().anyMatch(e -> acl.covers("topic", e.getKey())
                            && e.getValue().contains(operation));
            case "group" -> operation.equals("Read") && service.groups().values().stream().anyMatch(g -> g.prefix()
                    ? acl.prefix() && g.name().startsWith(acl.name()) : acl.covers("group", g.name()));
            case "transactionalId" -> streamsPrefix && operation.equals("Write");
            default -> false;
        };
    }

    /** One ACL of a KafkaUser. */
    record Acl(String type, String name, boolean prefix, Set<String> operations) {
        static Acl of(JsonNode acl) {
            return new Acl(acl.at("/resource/type").asText(), acl.at("/resource/name").asText(),
                    "prefix".equals(acl.at("/resource/patternType").asText()), new TreeSet<>(texts(acl.path("operations"))));
        }

        /** Whether this ACL satisfies a need as {@link #needs} words it. */
        boolean grants(String need) {
            String[] parts = need.split(" on ", 2);
            String wanted = parts[0];
            String[] target = parts[1].split(" ");
            boolean prefixNeed = target.length == 3;
            String resource = target[target.length - 1];
            boolean matches = prefixNeed
                    ? type.equals(target[0]) && prefix && resource.startsWith(name)
                    : covers(target[0], resource);
            return matches && operations.contains(wanted);
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
}
