package io.voicecoach.tools.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.ToolRegistry;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Cluster-internal (keep it off the public ingress, like the gateway's {@code /internal/v1/credentials/verify}):
 * the tool list coaching-service hands a voice agent's LLM, for the tenant of the session.
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
    public ObjectNode tools(@PathParam("tenantId") String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new BadRequestException("tenantId is required");
        }
        var body = EventJson.MAPPER.createObjectNode();
        var tools = body.putArray("tools");
        registry.enabledFor(tenantId).forEach(t -> tools.add(t.definition().openAiFunction()));
        return body;
    }
}
