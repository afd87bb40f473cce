package io.voicecoach.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SessionErasedTest {

    @Test
    void aSessionErasureNamesItsTenantAndSession() {
        var target = SessionErased.targetOf(erasure("acme", "sess-1", SessionErased.SESSION)).orElseThrow();
        assertThat(target).isEqualTo(new SessionErased.Target("acme", "sess-1"));
        assertThat(target.wholeTenant()).isFalse();
    }

    @Test
    void aTenantErasureNamesNoSession() {
        var target = SessionErased.targetOf(erasure("acme", "erase:acme", SessionErased.TENANT)).orElseThrow();
        assertThat(target.tenantId()).isEqualTo("acme");
        assertThat(target.wholeTenant()).isTrue();
    }

    @Test
    void anErasureWithoutTenantOrSessionOrWithAnUnknownScopeAsksForNothing() {
        assertThat(SessionErased.targetOf(erasure(" ", "sess-1", SessionErased.SESSION))).isEmpty();
        assertThat(SessionErased.targetOf(erasure("acme", " ", SessionErased.SESSION))).isEmpty();
        assertThat(SessionErased.targetOf(erasure("acme", "sess-1", "everything"))).isEmpty();
    }

    @Test
    void anotherEventAsksForNothing() {
        var ended = Event.of(UUID.randomUUID(), "acme", "sess-1", 1, Instant.now(), "test", new SessionEnded("client", 1000));
        assertThat(SessionErased.targetOf(ended)).isEmpty();
    }

    private static Event<SessionErased> erasure(String tenantId, String sessionId, String scope) {
        return Event.of(UUID.randomUUID(), tenantId, sessionId, 1, Instant.now(), "test", new SessionErased(scope, "api"));
    }
}
