package io.voicecoach.tools.kb;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.Startup;
import io.voicecoach.tools.ToolsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Searches a tenant's knowledge base in coaching-service, which owns the documents and their embeddings. The client
 * is built at startup; its connect and read time-outs ({@code voicecoach.tools.knowledge.timeout}) bound the call.
 * No fault-tolerance {@code @Timeout} here: it interrupts the calling thread, which holds the tool call's JTA
 * transaction, and an interrupted transaction cannot commit the call's audit row.
 */
@Startup
@ApplicationScoped
public class KnowledgeBase {

    private final KnowledgeClient client;

    public KnowledgeBase(ToolsConfig tools) {
        var config = tools.knowledge();
        long millis = config.timeout().toMillis();
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.baseUrl()))
                .connectTimeout(millis, TimeUnit.MILLISECONDS)
                .readTimeout(millis, TimeUnit.MILLISECONDS)
                .build(KnowledgeClient.class);
    }

    /** @throws RuntimeException when coaching-service is unreachable, too slow or answers an error */
    public List<KnowledgeClient.Hit> search(String tenantId, String query, int k) {
        var results = client.search(tenantId, query, k);
        return results == null || results.results() == null ? List.of() : results.results();
    }
}
