package io.voicecoach.platform.security;

import io.quarkus.arc.DefaultBean;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import io.voicecoach.platform.problem.AuthFailures;
import io.voicecoach.platform.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tenant credentials verified by the gateway, remembered for {@code voicecoach.auth.cache-ttl} (cache
 * {@value #CACHE}, keyed by the SHA-256 of the token, never the token). Refusals are not remembered, so a key the
 * gateway starts accepting works at once; a revoked one works on at most until its entry expires.
 * <p>
 * Only a 401 whose code refuses the tenant's key ({@link GatewayRefusal#refusesTenantKey()}) refuses it here; a
 * refused (or unset) service credential of this service, like any other non-answer, is
 * {@link CredentialsUnavailableException} (503 {@code credentials_unavailable}), the misconfiguration logged once.
 */
@ApplicationScoped
@DefaultBean
public class GatewayTenantCredentials implements TenantCredentials {

    public static final String CACHE = "voicecoach-credentials";

    private static final Logger LOG = Logger.getLogger(GatewayTenantCredentials.class);
    private static final String KNOB = "voicecoach.auth.service-token (env VOICECOACH_AUTH_SERVICE_TOKEN)";

    /** What the gateway said of a key: its tenant, or the refusal to answer the caller with. */
    record Verdict(String tenantId, Problem refusal) {
    }

    private final GatewayCredentialsClient gateway;
    private final CaffeineCache verified;
    private final boolean hasServiceCredential;
    private final AtomicBoolean misconfigurationLogged = new AtomicBoolean();

    public GatewayTenantCredentials(@RestClient GatewayCredentialsClient gateway, @CacheName(CACHE) Cache verified,
                                    ServiceCredentials credentials) {
        this.gateway = gateway;
        this.verified = verified.as(CaffeineCache.class);
        this.hasServiceCredential = credentials.outgoing().isPresent();
    }

    @Override
    public Uni<Optional<String>> tenantOf(String token) {
        String key = HexFormat.of().formatHex(ServiceCredentials.sha256(token));
        CompletableFuture<String> known = verified.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().completionStage(known).map(Optional::of);
        }
        if (!hasServiceCredential) {
            return Uni.createFrom().failure(misconfigured(KNOB + " is unset, and the gateway only verifies keys"
                    + " for a caller presenting a service credential"));
        }
        return verify(token)
                .onFailure(failure -> !(failure instanceof CredentialsUnavailableException))
                .transform(failure -> new CredentialsUnavailableException("the gateway did not answer: " + failure, failure))
                .map(verdict -> {
                    if (verdict.refusal() != null) {
                        throw CredentialRefusal.of(verdict.refusal());
                    }
                    verified.put(key, CompletableFuture.completedFuture(verdict.tenantId()));
                    return Optional.of(verdict.tenantId());
                });
    }

    /**
     * One question to the gateway. A refused key is an answer (it counts as a success for the circuit breaker);
     * anything but a 200 naming a tenant or a 401 refusing the key is not.
     */
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000)
    Uni<Verdict> verify(String token) {
        return gateway.verify("Bearer " + token)
                .map(answer -> {
                    if (answer == null || answer.tenantId() == null || answer.tenantId().isBlank()) {
                        throw new CredentialsUnavailableException("the gateway verified the key without naming a tenant", null);
                    }
                    return new Verdict(answer.tenantId(), null);
                })
                .onFailure(GatewayRefusal.class).recoverWithUni(failure -> {
                    var refusal = (GatewayRefusal) failure;
                    if (refusal.refusesTenantKey()) {
                        return Uni.createFrom().item(new Verdict(null, tenantRefusal(refusal)));
                    }
                    if (refusal.refusesServiceCredential()) {
                        return Uni.createFrom().failure(misconfigured("the gateway refused this service's credential ("
                                + refusal.status() + " " + refusal.code() + "): check that " + KNOB
                                + " is one the gateway accepts"));
                    }
                    return Uni.createFrom().failure(new CredentialsUnavailableException(refusal.getMessage(), refusal));
                });
    }

    /** The generic refusal for an unknown key (as the platform words it), the gateway's own for the others. */
    private static Problem tenantRefusal(GatewayRefusal refusal) {
        return "invalid_credentials".equals(refusal.code()) ? AuthFailures.refused("API key")
                : Problem.of(Response.Status.UNAUTHORIZED, refusal.code(),
                        refusal.detail() == null ? "refused API key" : refusal.detail());
    }

    /** A misconfiguration of this service: logged at error level once, and every caller gets a 503. */
    private CredentialsUnavailableException misconfigured(String message) {
        if (misconfigurationLogged.compareAndSet(false, true)) {
            LOG.errorf("cannot verify tenant API keys, every tenant request is answered 503: %s", message);
        } else {
            LOG.debug(message);
        }
        return new CredentialsUnavailableException(message, null);
    }
}
