package io.voicecoach.tools.kb;

import io.voicecoach.events.internal.KnowledgeSearchResults;
import io.voicecoach.platform.security.ServiceCredentialFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * coaching-service's cluster-internal knowledge-base search, with this service's credential. Configured as
 * {@code quarkus.rest-client.coaching-knowledge.*} (URL from {@code voicecoach.tools.knowledge.base-url}); its
 * connect and read time-outs bound the call.
 */
@RegisterRestClient(configKey = "coaching-knowledge")
@RegisterProvider(ServiceCredentialFilter.class)
@Path("/internal/v1/tenants/{tenantId}/kb")
public interface KnowledgeClient {

    @GET
    @Path("/search")
    @Produces(MediaType.APPLICATION_JSON)
    KnowledgeSearchResults search(@PathParam("tenantId") String tenantId, @QueryParam("q") String query,
                                  @QueryParam("k") int k);
}
