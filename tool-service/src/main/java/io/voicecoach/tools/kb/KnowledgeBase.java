package io.voicecoach.tools.kb;

import io.voicecoach.events.Citation;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;

/**
 * Searches a tenant's knowledge base in coaching-service, which owns the documents and their embeddings. The REST
 * client's connect and read time-outs bound the call; no fault-tolerance {@code @Timeout} here: it interrupts the
 * calling thread, which holds the tool call's JTA transaction, and an interrupted transaction cannot commit the
 * call's audit row.
 */
@ApplicationScoped
public class KnowledgeBase {

    private final KnowledgeClient client;

    public KnowledgeBase(@RestClient KnowledgeClient client) {
        this.client = client;
    }

    /** @throws RuntimeException when coaching-service is unreachable, too slow or answers an error */
    public List<Citation> search(String tenantId, String query, int k) {
        var found = client.search(tenantId, query, k);
        return found == null ? List.of() : found.results();
    }
}
