package io.voicecoach.tools.kb;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.Startup;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestFilter;

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

    static final String SERVICE_TOKEN_HEADER = "X-VoiceCoach-Service-Token";

    private final KnowledgeClient client;

    public KnowledgeBase(ToolsConfig tools, AuthConfig auth) {
        var config = tools.knowledge();
        long millis = config.timeout().toMillis();
        var builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.baseUrl()))
                .connectTimeout(millis, TimeUnit.MILLISECONDS)
                .readTimeout(millis, TimeUnit.MILLISECONDS);
        // coaching's /internal/v1/* requires the service credential (platform module, header X-VoiceCoach-Service-Token)
        auth.serviceToken().filter(token -> !token.isBlank()).ifPresent(token -> builder.register(
                (ClientRequestFilter) request -> request.getHeaders().putSingle(SERVICE_TOKEN_HEADER, token)));
        this.client = builder.build(KnowledgeClient.class);
    }

    /** @throws RuntimeException when coaching-service is unreachable, too slow or answers an error */
    public List<KnowledgeClient.Hit> search(String tenantId, String query, int k) {
        var results = client.search(tenantId, query, k);
        return results == null || results.results() == null ? List.of() : results.results();
    }
}
