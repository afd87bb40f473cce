package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.internal.ToolList;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A tenant's tool definitions from tool-service, cached for {@code tools-cache-ttl}. A failed request is made again
 * (back-off from 200 ms) until {@code tools-timeout}; without an answer by then the last copy is used even if stale,
 * else none (the agent then talks without tools).
 * Definitions that are not {@code {"type":"function","function":{"name":...}}} are left out.
 */
@ApplicationScoped
public class ToolDefinitions {

    private static final Logger LOG = Logger.getLogger(ToolDefinitions.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(200);

    private record Cached(List<JsonNode> tools, Instant expires) {
    }

    private final ToolRegistryApi api;
    private final AgentConfig config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ToolDefinitions(AgentConfig config, @RestClient ToolRegistryApi api) {
        this.config = config;
        this.api = api;
    }

    public Uni<List<JsonNode>> forTenant(String tenantId) {
        var cached = cache.get(tenantId);
        if (cached != null && cached.expires().isAfter(Instant.now())) {
            return Uni.createFrom().item(cached.tools());
        }
        // a failed answer (tool-service restarting, its database restarting) is asked again until tools-timeout
        return Uni.createFrom().deferred(() -> api.tools(tenantId))
                .onFailure().retry().withBackOff(RETRY_BACKOFF, RETRY_BACKOFF.multipliedBy(4)).indefinitely()
                .ifNoItem().after(config.toolsTimeout()).fail()
                .map(ToolDefinitions::parse)
                .invoke(tools -> cache.put(tenantId, new Cached(tools, Instant.now().plus(config.toolsCacheTtl()))))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("no tool definitions for tenant %s from tool-service: %s", tenantId, failure.toString());
                    return cached == null ? List.of() : cached.tools();
                });
    }

    /** Whether {@code name} may name a function for the LLM. */
    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static List<JsonNode> parse(ToolList list) {
        var tools = new ArrayList<JsonNode>();
        for (JsonNode tool : list.tools()) {
            var function = tool.path("function");
            if ("function".equals(tool.path("type").asText()) && NAME.matcher(function.path("name").asText("")).matches()) {
                tools.add(tool);
            } else {
                LOG.warnf("ignoring a tool definition that is not a named function: %s", tool);
            }
        }
        return List.copyOf(tools);
    }
}
