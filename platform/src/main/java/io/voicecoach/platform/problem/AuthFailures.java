package io.voicecoach.platform.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.voicecoach.platform.security.CredentialRefusal;
import io.voicecoach.platform.security.CredentialsUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Refusals of the HTTP security layer (before any resource runs) as problem+json: 401 {@code missing_credentials},
 * {@code invalid_credentials} or {@code invalid_service_credential} with {@code WWW-Authenticate: Bearer}, 403 {@code forbidden} (a credential without the
 * role the path needs), 503 {@code credentials_unavailable} (the gateway could not say). A refusal that says why
 * ({@link CredentialRefusal}) and a {@link ProblemException} from a service's own {@code HttpSecurityPolicy}
 * are answered with their own problem.
 */
@ApplicationScoped
public class AuthFailures {

    /** The code of {@link #serviceRefused()}. */
    public static final String SERVICE_REFUSED = "invalid_service_credential";
    static final String MISSING = "missing API key: send Authorization: Bearer <tenant API key>";
    static final String FORBIDDEN = "this credential may not use this endpoint";

    private static final Logger LOG = Logger.getLogger(AuthFailures.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        var problem = problemFor(context.failure());
        if (problem == null || context.response().headWritten()) {
            context.next();
            return;
        }
        var response = context.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(Json.encode(problem));
    }

    /** 401 for a request without any credential. */
    public static Problem missing() {
        return Problem.of(Response.Status.UNAUTHORIZED, "missing_credentials", MISSING);
    }

    /** 401 for a refused tenant credential. */
    public static Problem refused(String kind) {
        return Problem.of(Response.Status.UNAUTHORIZED, "invalid_credentials", "invalid " + kind);
    }

    /**
     * 401 for a refused service credential: its own code, so a calling service can tell "my credential is wrong"
     * (its misconfiguration) from "the tenant's key is refused".
     */
    public static Problem serviceRefused() {
        return Problem.of(Response.Status.UNAUTHORIZED, SERVICE_REFUSED, "invalid service credential");
    }

    /** 503: nobody can tell right now whether the credential is good. */
    public static Problem unavailable() {
        return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "credentials_unavailable",
                "cannot verify the API key right now");
    }

    private static Problem problemFor(Throwable failure) {
        var refusal = CredentialRefusal.in(failure);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException refused) {
                return refused.problem();
            }
            if (t instanceof CredentialsUnavailableException e) {
                LOG.warnf("cannot verify a credential: %s", e.getMessage());
                return unavailable();
            }
        }
        if (failure instanceof AuthenticationFailedException e) {
            return Problem.of(Response.Status.UNAUTHORIZED, "invalid_credentials",
                    e.getMessage() == null ? "invalid API key" : e.getMessage());
        }
        if (failure instanceof UnauthorizedException) {
            return Problem.of(Response.Status.UNAUTHORIZED, "missing_credentials", MISSING);
        }
        if (failure instanceof ForbiddenException) {
            return Problem.of(Response.Status.FORBIDDEN, "forbidden", FORBIDDEN);
        }
        return null;
    }

}
