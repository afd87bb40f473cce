package io.voicecoach.tools.kb;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** coaching-service's cluster-internal knowledge-base search. */
@Path("/internal/v1/tenants/{tenantId}/kb")
public interface KnowledgeClient {

    @RegisterForReflection
    record Hit(String documentId, String documentTitle, int chunkIndex, String excerpt, double score) {
    }

    @RegisterForReflection
    record Results(List<Hit> results) {
    }

    @GET
    @Path("/search")
    @Produces(MediaType.APPLICATION_JSON)
    Results search(@PathParam("tenantId") String tenantId, @QueryParam("q") String query, @QueryParam("k") int k);
}
