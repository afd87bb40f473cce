package io.voicecoach.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.auth.CallerTenant;
import io.voicecoach.tools.registry.TenantTools;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolRegistry;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The calling tenant's tool registry: the function definitions its LLM may call, and switching tools on and off.
 * The tenant comes from the API key ({@link CallerTenant}), never from the request.
 */
@Path("/api/v1/tools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tools")
public class ToolsResource {

    /** One tool as the tenant sees it. */
    @RegisterForReflection
    public record ToolView(String name, String description, JsonNode parameters, boolean enabled) {
    }

    /** Body of {@code PATCH /api/v1/tools/{name}}. */
    @RegisterForReflection
    public record ToolChange(Boolean enabled) {
    }

    private final ToolRegistry registry;
    private final TenantTools tenantTools;
    private final CallerTenant caller;

    public ToolsResource(ToolRegistry registry, TenantTools tenantTools, CallerTenant caller) {
        this.registry = registry;
        this.tenantTools = tenantTools;
        this.caller = caller;
    }

    @GET
    @Transactional
    @Operation(summary = "The tenant's enabled tools in the OpenAI function-calling format "
            + "([{\"type\": \"function\", \"function\": {name, description, parameters}}]), sorted by name")
    public ArrayNode functions() {
        var functions = EventJson.MAPPER.createArrayNode();
        registry.enabledFor(caller.id()).forEach(t -> functions.add(t.definition().openAiFunction()));
        return functions;
    }

    @GET
    @Path("/{name}")
    @Transactional
    @Operation(summary = "One tool, enabled or not, with its parameter schema")
    public ToolView tool(@PathParam("name") String name) {
        return view(find(name));
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Enable or disable a tool for the tenant: {\"enabled\": true|false}")
    public ToolView change(@PathParam("name") String name, ToolChange change) {
        var tool = find(name);
        if (change == null || change.enabled() == null) {
            throw new BadRequestException("body must be {\"enabled\": true} or {\"enabled\": false}");
        }
        tenantTools.set(caller.id(), tool.name(), change.enabled());
        return view(tool);
    }

    private Tool find(String name) {
        return registry.find(name).orElseThrow(() -> new NotFoundException("no tool named '" + name + "'"));
    }

    private ToolView view(Tool tool) {
        var definition = tool.definition();
        return new ToolView(definition.name(), definition.description(), definition.parameters(),
                tenantTools.enabled(caller.id(), tool.name()));
    }
}
