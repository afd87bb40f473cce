package io.voicecoach.coaching.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Asks the gateway which tenant an {@code Authorization} header belongs to: 200 {@code {"tenantId"}} or 401. */
@ApplicationScoped
public class GatewayCredentials {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI verify;

    public GatewayCredentials(AuthConfig config) {
        this.verify = URI.create(config.gatewayUrl().replaceAll("/+$", "") + "/internal/v1/credentials/verify");
    }

    /**
     * @return the tenant, or empty if the gateway refused the key (401)
     * @throws GatewayUnavailableException when the gateway gave no usable answer
     */
    @Timeout(2000)
    public Optional<String> tenantOf(String authorization) {
        HttpResponse<String> response;
        try {
            var request = HttpRequest.newBuilder(verify).timeout(Duration.ofSeconds(3))
                    .header("Authorization", authorization).header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GatewayUnavailableException("gateway unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException("interrupted while asking the gateway", e);
        }
        if (response.statusCode() == 401) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new GatewayUnavailableException("gateway answered " + response.statusCode(), null);
        }
        try {
            JsonNode tenant = JSON.readTree(response.body()).path("tenantId");
            if (!tenant.isTextual() || tenant.asText().isBlank()) {
                throw new GatewayUnavailableException("gateway verified the key without naming a tenant", null);
            }
            return Optional.of(tenant.asText());
        } catch (IOException e) {
            throw new GatewayUnavailableException("gateway answered with invalid JSON", e);
        }
    }
}
