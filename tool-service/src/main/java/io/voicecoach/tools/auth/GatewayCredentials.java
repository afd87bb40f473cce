package io.voicecoach.tools.auth;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Asks the gateway which tenant an {@code Authorization} header belongs to. Built at startup, not on the first request. */
@Startup
@ApplicationScoped
public class GatewayCredentials {

    private final GatewayCredentialsClient client;

    public GatewayCredentials(AuthConfig config) {
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.gatewayUrl()))
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.SECONDS)
                .build(GatewayCredentialsClient.class);
    }

    /**
     * @return the tenant, or empty if the gateway refused the key (401)
     * @throws GatewayUnavailableException when the gateway gave no answer in time, or any other answer
     */
    @Timeout(2000)
    public Optional<String> tenantOf(String authorization) {
        try {
            var verified = client.verify(authorization);
            if (verified == null || verified.tenantId() == null || verified.tenantId().isBlank()) {
                throw new GatewayUnavailableException("gateway verified the key without naming a tenant", null);
            }
            return Optional.of(verified.tenantId());
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == Response.Status.UNAUTHORIZED.getStatusCode()) {
                return Optional.empty();
            }
            throw new GatewayUnavailableException("gateway answered " + e.getResponse().getStatus(), e);
        } catch (RuntimeException e) {
            if (e instanceof GatewayUnavailableException) {
                throw e;
            }
            throw new GatewayUnavailableException("gateway unreachable: " + e.getMessage(), e);
        }
    }
}
