package io.voicecoach.events.internal;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.Citation;

import java.util.List;

/**
 * 200 body of coaching-service's {@code GET /internal/v1/tenants/{tenantId}/kb/search?q=&k=}: the chunks nearest to
 * the query, best first.
 */
@RegisterForReflection
public record KnowledgeSearchResults(List<Citation> results) {

    public KnowledgeSearchResults {
        results = results == null ? List.of() : List.copyOf(results);
    }
}
