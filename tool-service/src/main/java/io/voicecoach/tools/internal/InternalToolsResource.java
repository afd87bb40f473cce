package io.voicecoach.tools.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.internal.ToolList;
import io.voicecoach.tools.registry.ToolRegistry;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tool list coaching-service hands a voice agent's LLM, for the tenant of the session. Cluster-internal: only a
 * caller with the service credential gets here (the platform's {@code /internal/*} policy); the tenant is in the path
 * (coaching takes it from the session's events).
 */
@Path("/internal/v1/tenants/{tenantId}/tools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
public class InternalToolsResource {

    private final ToolRegistry registry;

    public InternalToolsResource(ToolRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Transactional
    @Operation(summary = "The tenant's enabled tools in the chat-completions format: "
            + "{\"tools\": [{\"type\": \"function\", \"function\": {name, description, parameters}}]}, sorted by name")
    public ToolList tools(@PathParam("tenantId") @NotBlank String tenantId) {
        return new ToolList(registry.enabledFor(tenantId).stream()
                .<JsonNode>map(t -> t.definition().openAiFunction()).toList());
    }
}
