package io.voicecoach.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.voicecoach.platform.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialRefusalTest {

    private static final Problem EXPIRED = Problem.of(Response.Status.UNAUTHORIZED, "expired_credentials",
            "the credential has expired");

    @Test
    void theProblemIsFoundWhereverTheSecurityLayerWrappedTheRefusal() {
        var refusal = CredentialRefusal.of(EXPIRED);

        assertThat(refusal.getMessage()).isEqualTo("the credential has expired");
        assertThat(CredentialRefusal.in(refusal)).contains(EXPIRED);
        assertThat(CredentialRefusal.in(new AuthenticationFailedException(new IllegalStateException(refusal))))
                .contains(EXPIRED);
    }

    @Test
    void aPlainRefusalSaysNothingMore() {
        assertThat(CredentialRefusal.in(new AuthenticationFailedException("invalid API key"))).isEmpty();
        assertThat(CredentialRefusal.in(new IllegalStateException("boom"))).isEmpty();
    }
}
