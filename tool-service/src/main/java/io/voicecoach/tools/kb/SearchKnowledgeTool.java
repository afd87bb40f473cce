package io.voicecoach.tools.kb;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.Citation;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code search_knowledge}: the passages of the tenant's knowledge base that best answer a question, from
 * coaching-service. The tenant is the call's, never an argument. When coaching cannot answer, the LLM gets
 * {@code unavailable} and can answer without the knowledge base.
 */
@ApplicationScoped
public class SearchKnowledgeTool implements Tool {

    private static final Logger LOG = Logger.getLogger(SearchKnowledgeTool.class);
    private static final ToolDefinition DEFINITION = ToolDefinition.load("search_knowledge");
    private static final int DEFAULT_RESULTS = 3;

    private final KnowledgeBase knowledgeBase;

    public SearchKnowledgeTool(KnowledgeBase knowledgeBase) {
        this.knowledgeBase = knowledgeBase;
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        String query = invocation.requiredString("query");
        int k = invocation.integer("max_results", DEFAULT_RESULTS);
        List<Citation> hits;
        try {
            hits = knowledgeBase.search(invocation.tenantId(), query, k);
        } catch (RuntimeException e) {
            LOG.warnf("knowledge search for tenant %s failed: %s", invocation.tenantId(), e.toString());
            throw new ToolException(ToolErrors.UNAVAILABLE,
                    "the knowledge base cannot be searched right now; answer without it or try again later");
        }
        var result = EventJson.MAPPER.createObjectNode();
        result.put("query", query);
        var list = result.putArray("results");
        hits.stream().limit(k).forEach(hit -> list.addObject()
                .put("documentId", hit.documentId())
                .put("documentTitle", hit.documentTitle())
                .put("chunkIndex", hit.chunkIndex())
                .put("excerpt", hit.excerpt())
                .put("score", hit.score()));
        return result;
    }
}
