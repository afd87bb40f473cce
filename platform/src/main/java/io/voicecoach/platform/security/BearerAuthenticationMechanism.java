package io.voicecoach.platform.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.voicecoach.platform.problem.AuthFailures;
import io.voicecoach.platform.problem.Problem;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Finds the caller's credential: {@value ServiceCredentials#HEADER} (another service) wins over
 * {@code Authorization: Bearer <token>} (a tenant's API key or client secret, or the operator token). Neither is an
 * anonymous caller, refused wherever a policy asks for a role (everywhere but the operational {@code /q/} endpoints).
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";
    /** Routing-context key: which kind of credential the request presented. */
    private static final String PRESENTED = "voicecoach.credential-presented";
    /** Routing-context key: the problem of a {@link CredentialRefusal}, which says why it was refused. */
    private static final String REFUSAL = "voicecoach.credential-refusal";
    private static final ChallengeData CHALLENGE = new ChallengeData(401, "WWW-Authenticate", "Bearer");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String service = context.request().getHeader(ServiceCredentials.HEADER);
        if (service != null && !service.isBlank()) {
            context.put(PRESENTED, "service credential");
            return remember(identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                    new CredentialRequest.Service(service.strip()), context)), context);
        }
        String token = bearerToken(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        context.put(PRESENTED, "API key");
        return remember(identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new CredentialRequest.Bearer(token), context)), context);
    }

    /** Keeps the problem of a refusal that says why, for {@link #sendChallenge}. */
    private static Uni<SecurityIdentity> remember(Uni<SecurityIdentity> identity, RoutingContext context) {
        return identity.onFailure().invoke(failure -> CredentialRefusal.in(failure)
                .ifPresent(refusal -> context.put(REFUSAL, refusal)));
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    public static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    /** The 401 as problem+json: which credential was missing, or that (and where known why) the one presented was refused. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        var response = context.response();
        if (!response.ended() && !response.headWritten()) {
            String presented = context.get(PRESENTED);
            Problem refusal = context.get(REFUSAL);
            var problem = refusal != null ? refusal
                    : presented == null ? AuthFailures.missing() : AuthFailures.refused(presented);
            response.setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CredentialRequest.Bearer.class, CredentialRequest.Service.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
