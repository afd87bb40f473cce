package io.voicecoach.coaching.api;

import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.events.internal.KnowledgeSearchResults;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/**
 * Knowledge search for tool-service's {@code search_knowledge}. Cluster-internal: only a caller with the service
 * credential gets here (the platform's {@code /internal/*} policy); the tenant is in the path (tool-service takes it
 * from the {@code tool.call} envelope).
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
    public KnowledgeSearchResults search(@PathParam("tenantId") @NotBlank String tenantId, @QueryParam("q") @NotBlank String q,
                                         @QueryParam("k") @DefaultValue("3") @Min(1) @Max(MAX_K) int k) {
        return new KnowledgeSearchResults(kb.search(tenantId, q, k));
    }
}
