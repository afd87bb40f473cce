package io.voicecoach.platform.security;

import io.quarkus.arc.DefaultBean;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Tenant credentials verified by the gateway, remembered for {@code voicecoach.auth.cache-ttl} (cache
 * {@value #CACHE}, keyed by the SHA-256 of the token, never the token). Refusals are not remembered, so a key the
 * gateway starts accepting works at once; a revoked one works on at most until its entry expires.
 */
@ApplicationScoped
@DefaultBean
public class GatewayTenantCredentials implements TenantCredentials {

    public static final String CACHE = "voicecoach-credentials";

    private final GatewayCredentialsClient gateway;
    private final CaffeineCache verified;

    public GatewayTenantCredentials(@RestClient GatewayCredentialsClient gateway, @CacheName(CACHE) Cache verified) {
        this.gateway = gateway;
        this.verified = verified.as(CaffeineCache.class);
    }

    @Override
    public Uni<Optional<String>> tenantOf(String token) {
        String key = HexFormat.of().formatHex(ServiceCredentials.sha256(token));
        CompletableFuture<String> known = verified.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().completionStage(known).map(Optional::of);
        }
        return verify(token)
                .onFailure(failure -> !(failure instanceof CredentialsUnavailableException))
                .transform(failure -> new CredentialsUnavailableException("the gateway did not answer: " + failure, failure))
                .invoke(tenant -> tenant.ifPresent(t -> verified.put(key, CompletableFuture.completedFuture(t))));
    }

    /** One question to the gateway; a 401 is an answer, anything but a 200 naming a tenant is not. */
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000)
    Uni<Optional<String>> verify(String token) {
        return gateway.verify("Bearer " + token)
                .map(answer -> {
                    if (answer == null || answer.tenantId() == null || answer.tenantId().isBlank()) {
                        throw new CredentialsUnavailableException("the gateway verified the key without naming a tenant", null);
                    }
                    return Optional.of(answer.tenantId());
                })
                .onFailure(WebApplicationException.class).recoverWithUni(failure -> {
                    int status = ((WebApplicationException) failure).getResponse().getStatus();
                    return status == 401 ? Uni.createFrom().<Optional<String>>item(Optional.empty())
                            : Uni.createFrom().<Optional<String>>failure(
                                    new CredentialsUnavailableException("the gateway answered " + status, failure));
                });
    }
}
