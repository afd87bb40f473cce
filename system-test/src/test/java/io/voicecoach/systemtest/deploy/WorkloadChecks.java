package io.voicecoach.systemtest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The invariants of the workloads beyond their schemas: containers, pod security, images, secrets, replica counts,
 * disruption budgets, the Deployments against the services' properties, network policies and the Ingress. Each check
 * returns its violations as "Kind/name: what is wrong"; an empty list passes.
 */
final class WorkloadChecks extends Manifests {

    /**
     * The only services clients reach through the Ingress, and the paths each may be reached on (a path equal to one,
     * or under it): the gateway's clients and page, analytics' dashboard and API, coaching's and tool-service's tenant
     * APIs (playbook, knowledge base, replays and the replay page; tool definitions). Never /internal, /admin or /q.
     */
    static final Map<String, List<String>> INGRESS_ROUTES = Map.of(
            "gateway-service", List.of("/"),
            "analytics-service", List.of("/dashboard", "/api/v1"),
            "coaching-service", List.of("/api/v1/playbook", "/api/v1/kb", "/api/v1/replays", "/replay"),
            "tool-service", List.of("/api/v1/tools"));
    private static final List<String> NEVER_ROUTED = List.of("/internal", "/admin", "/q");
    private static final String INGRESS_NAMESPACE = "ingress-nginx";
    /** What closing the Kafka clients after the HTTP wait may take (the gateway measured ~10 s). */
    static final Duration KAFKA_CLOSE = Duration.ofSeconds(10);
    private static final Pattern SECRET_LIKE = Pattern.compile("(?i).*(password|secret|token|api[-_]?key|credential).*");

    WorkloadChecks(List<ObjectNode> objects) {
        super(objects);
    }

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

    /**
     * Each service runs as a Deployment whose container port is its quarkus.http.port, mounts its own KafkaUser's
     * certificate, and, when it has a datasource, connects with sslmode=verify-full; one that believes forwarded
     * client addresses names the proxies it believes them from.
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
            String image = container.path("image").asText().replaceFirst("@.*$", "").replaceFirst(":[^:/]*$", "");
            if (!image.equals(service.image()) && !image.endsWith("/" + service.image())) {
                problems.add(id + ": image " + container.path("image").asText() + " is not " + service.image()
                        + " (quarkus.container-image.group/name)");
            }
            problems.addAll(shutdownFitsGracePeriod(id, service, pod, container));
            problems.addAll(forwardingFromTrustedProxiesOnly(id, container));
        }
        return problems;
    }

    /**
     * Quarkus' forwarding without {@code trusted-proxies} believes {@code X-Forwarded-For} from any peer: a client
     * could pick the address its per-IP caps are keyed by (gateway-service/README.md "Behind an ingress").
     */
    private static List<String> forwardingFromTrustedProxiesOnly(String id, JsonNode container) {
        boolean forwarding = false;
        boolean trusted = false;
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            forwarding |= name.equals("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING")
                    && env.path("value").asText().equals("true");
            trusted |= name.equals("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES") && !env.path("value").asText().isBlank();
        }
        return forwarding && !trusted
                ? List.of(id + ": believes forwarded client addresses from any peer (no "
                        + "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES)")
                : List.of();
    }

    /**
     * preStop pause + the gateway's drain + {@code quarkus.shutdown.timeout} (the container's
     * {@code QUARKUS_SHUTDOWN_TIMEOUT} when set) + {@link #KAFKA_CLOSE} within {@code terminationGracePeriodSeconds},
     * or the kubelet kills the pod with its work unfinished.
     */
    private static List<String> shutdownFitsGracePeriod(String id, ServiceConfig service, JsonNode pod,
                                                        JsonNode container) {
        var shutdown = service.shutdownTimeout();
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("QUARKUS_SHUTDOWN_TIMEOUT")) {
                shutdown = ServiceConfig.duration(env.path("value").asText());
            }
        }
        var preStop = Duration.ofSeconds(container.at("/lifecycle/preStop/sleep/seconds").asLong(0));
        var needed = preStop.plus(service.drainTimeout()).plus(shutdown).plus(KAFKA_CLOSE);
        var grace = Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong(30));
        if (needed.compareTo(grace) > 0) {
            return List.of(id + ": stopping may take " + needed.toSeconds() + " s (preStop " + preStop.toSeconds()
                    + " s, drain " + service.drainTimeout().toSeconds() + " s, shutdown.timeout " + shutdown.toSeconds()
                    + " s, Kafka clients " + KAFKA_CLOSE.toSeconds() + " s), more than terminationGracePeriodSeconds "
                    + grace.toSeconds());
        }
        return List.of();
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
            if (fromIngressController && !INGRESS_ROUTES.containsKey(selected)) {
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
                    String at = path.path("path").asText();
                    boolean allowed = INGRESS_ROUTES.getOrDefault(backend, List.of()).stream()
                            .anyMatch(prefix -> under(at, prefix));
                    if (!allowed || NEVER_ROUTED.stream().anyMatch(prefix -> under(at, prefix))) {
                        problems.add(id(ingress) + ": routes " + at + " to " + backend);
                    }
                }
            }
        }
        return problems;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /**
     * The rep's page is served by the gateway from its static files: each of them must reach it through the Ingress
     * (an Exact path, or a Prefix one that covers it), or the page breaks in the cluster while it works locally.
     */
    List<String> pageRouted(Collection<String> pageFiles) {
        var problems = new ArrayList<String>();
        for (String file : pageFiles) {
            String wanted = "/" + file;
            boolean routed = ofKind("Ingress").stream().flatMap(i -> java.util.stream.StreamSupport.stream(
                    i.at("/spec/rules").spliterator(), false)).flatMap(rule -> java.util.stream.StreamSupport.stream(
                    rule.at("/http/paths").spliterator(), false)).anyMatch(path -> {
                String at = path.path("path").asText();
                boolean covers = "Exact".equals(path.path("pathType").asText()) ? at.equals(wanted)
                        : wanted.equals(at) || wanted.startsWith(at.endsWith("/") ? at : at + "/");
                return covers && "gateway-service".equals(path.at("/backend/service/name").asText());
            });
            if (!routed) {
                problems.add("Ingress: the page's " + wanted + " does not reach gateway-service");
            }
        }
        return problems;
    }
}
