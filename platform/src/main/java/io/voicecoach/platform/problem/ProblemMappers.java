package io.voicecoach.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.voicecoach.platform.security.CredentialRefusal;
import io.voicecoach.platform.security.CredentialsUnavailableException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * Answers every error of every service's REST API with a {@link Problem}: JAX-RS errors (ours, unknown paths, wrong
 * methods), unreadable JSON (with the JSON path of the failure) and Bean Validation violations (both 400
 * {@value #INVALID_REQUEST}, each violation as {@code errors[{path, message}]}), security refusals, and any unexpected failure (500, naming an error id that is
 * in the log, never the failure itself).
 */
public class ProblemMappers {

    /** The code of a 400 for a body that is not JSON, not of the expected shape, or violates a constraint. */
    public static final String INVALID_REQUEST = "invalid_request";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        return Problem.of(e.getResponse().getStatusInfo(), e.getMessage()).toResponse();
    }

    /** Jackson's own mapper would answer this one (a value of the wrong type) with its own JSON. */
    @ServerExceptionMapper
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        var errors = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? java.util.List.of(new Problem.FieldError(jsonPath(mapping), e.getOriginalMessage()))
                : java.util.List.<Problem.FieldError>of();
        return Problem.of(Response.Status.BAD_REQUEST, INVALID_REQUEST,
                "the body is not valid JSON: " + e.getOriginalMessage(), errors).toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        var errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(path(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::path))
                .toList();
        String detail = errors.size() == 1 ? errors.getFirst().path() + " " + errors.getFirst().message()
                : errors.size() + " invalid fields";
        return Problem.of(Response.Status.BAD_REQUEST, INVALID_REQUEST, detail, errors).toResponse();
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return CredentialRefusal.in(e).orElseGet(() -> AuthFailures.refused("API key")).toResponse();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Problem.of(Response.Status.UNAUTHORIZED, "missing_credentials", AuthFailures.MISSING).toResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Response.Status.FORBIDDEN, "forbidden", AuthFailures.FORBIDDEN).toResponse();
    }

    @ServerExceptionMapper
    public Response unavailable(CredentialsUnavailableException e) {
        LOG.warnf("cannot verify a credential: %s", e.getMessage());
        return AuthFailures.unavailable().toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed, error id %s", errorId);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "unexpected error, id " + errorId).toResponse();
    }

    /**
     * The violation's path without the method and parameter of a validated resource method:
     * {@code search.q} is reported as {@code q}, {@code put.body.title} as {@code $.title}.
     */
    private static String path(ConstraintViolation<?> violation) {
        var nodes = StreamSupport.stream(violation.getPropertyPath().spliterator(), false).toList();
        boolean method = !nodes.isEmpty() && nodes.getFirst().getKind() == jakarta.validation.ElementKind.METHOD;
        var rest = method ? nodes.subList(1, nodes.size()) : nodes;
        if (rest.isEmpty()) {
            return "$";
        }
        boolean body = rest.size() > 1 && rest.getFirst().getKind() == jakarta.validation.ElementKind.PARAMETER;
        var fields = body ? rest.subList(1, rest.size()) : rest;
        var out = new StringBuilder(body ? "$" : "");
        for (Path.Node node : fields) {
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                out.append('[').append(node.getKey()).append(']');
            }
            if (node.getName() != null && node.getKind() != jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
                out.append(out.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return out.isEmpty() ? "$" : out.toString();
    }

    private static String jsonPath(JsonMappingException e) {
        var out = new StringBuilder("$");
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                out.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
