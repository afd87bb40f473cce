package io.voicecoach.coaching.agent;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** tool-service's internal listing of a tenant's enabled tools: {@code {"tools": [{"type": "function", "function": {...}}]}}. */
@Path("/internal/v1/tenants")
public interface ToolRegistryApi {

    @GET
    @Path("/{tenantId}/tools")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> tools(@PathParam("tenantId") String tenantId);
}
