package io.voicecoach.coaching.agent;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.internal.ToolList;
import io.voicecoach.platform.security.ServiceCredentialFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * tool-service's internal listing of a tenant's enabled tools ({@link ToolList}), with this service's credential.
 * Configured as {@code quarkus.rest-client.tool-service.*} (URL from {@code voicecoach.agent.tools-url}).
 */
@RegisterRestClient(configKey = "tool-service")
@RegisterProvider(ServiceCredentialFilter.class)
@Path("/internal/v1/tenants")
public interface ToolRegistryApi {

    @GET
    @Path("/{tenantId}/tools")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<ToolList> tools(@PathParam("tenantId") String tenantId);
}
