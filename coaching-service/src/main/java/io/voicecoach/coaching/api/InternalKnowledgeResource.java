package io.voicecoach.coaching.api;

import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.events.Citation;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Knowledge search for tool-service's {@code search_knowledge}. Cluster-internal: the tenant is in the path (tool-service
 * takes it from the {@code tool.call} envelope), so this must not be routed from the public ingress.
 */
@Path("/internal/v1/tenants/{tenantId}/kb/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
public class InternalKnowledgeResource {

    private static final int MAX_K = 10;

    private final KnowledgeBase kb;

    public InternalKnowledgeResource(KnowledgeBase kb) {
        this.kb = kb;
    }

    @GET
    @Operation(summary = "The k (default 3, at most 10) chunks of the tenant's knowledge base nearest to q, best first")
    public Results search(@PathParam("tenantId") String tenantId, @QueryParam("q") String query,
                          @QueryParam("k") @DefaultValue("3") int k) {
        if (query == null || query.isBlank()) {
            throw new BadRequestException("q is required");
        }
        if (k < 1 || k > MAX_K) {
            throw new BadRequestException("k must be between 1 and " + MAX_K);
        }
        return new Results(kb.search(tenantId, query, k));
    }

    @RegisterForReflection
    public record Results(List<Citation> results) {
    }
}
