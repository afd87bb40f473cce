package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.internal.ToolList;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A tenant's tool definitions from tool-service, cached for {@code tools-cache-ttl}. When tool-service does not answer
 * within {@code tools-timeout} the last copy is used even if stale, else none (the agent then talks without tools).
 * Definitions that are not {@code {"type":"function","function":{"name":...}}} are left out.
 */
@ApplicationScoped
public class ToolDefinitions {

    private static final Logger LOG = Logger.getLogger(ToolDefinitions.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

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
        return api.tools(tenantId)
                .ifNoItem().after(config.toolsTimeout()).fail()
                .map(ToolDefinitions::parse)
                .invoke(tools -> cache.put(tenantId, new Cached(tools, Instant.now().plus(config.toolsCacheTtl()))))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("no tool definitions for tenant %s from tool-service: %s", tenantId, failure.toString());
                    return cached == null ? List.of() : cached.tools();
                });
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
