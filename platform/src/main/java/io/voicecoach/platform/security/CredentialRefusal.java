package io.voicecoach.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.voicecoach.platform.problem.Problem;

import java.util.Map;
import java.util.Optional;

/**
 * A refusal that says why (e.g. {@code expired_credentials}, {@code revoked_credentials}): a {@link TenantCredentials}
 * fails with {@link #of} where it can tell, and the 401 carries that problem instead of the generic
 * {@code invalid_credentials}.
 */
public final class CredentialRefusal {

    private static final String PROBLEM = "voicecoach.refusal";

    /** An authentication failure answered with {@code problem}. */
    public static AuthenticationFailedException of(Problem problem) {
        return new AuthenticationFailedException(problem.detail(), Map.of(PROBLEM, problem));
    }

    /** The problem of a refusal made by {@link #of} in {@code failure}'s cause chain (the security layer may wrap it). */
    public static Optional<Problem> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationFailedException refused && refused.getAttribute(PROBLEM) instanceof Problem p) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private CredentialRefusal() {
    }
}
