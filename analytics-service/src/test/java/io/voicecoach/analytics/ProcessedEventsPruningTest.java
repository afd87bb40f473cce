package io.voicecoach.analytics;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.analytics.ingest.ProcessedEventsPruner;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code processed_events} keeps ids for the retention (8 days by default) and loses the older ones. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "analytics"))
@QuarkusTestResource(GatewayCredentialStub.class)
class ProcessedEventsPruningTest {

    @Inject
    ProcessedEventsPruner pruner;

    @Inject
    EntityManager entityManager;

    @Test
    void idsOlderThanTheRetentionArePrunedAndYoungerOnesStay() {
        var justNow = record("0 seconds");
        var sixDays = record("6 days");
        var justInside = record("7 days 23 hours");
        var justOutside = record("8 days 1 hour");
        var month = record("30 days");

        long deleted = pruner.prune();

        assertThat(deleted).isGreaterThanOrEqualTo(2);
        assertThat(present(List.of(justNow, sixDays, justInside, justOutside, month)))
                .containsExactlyInAnyOrder(justNow, sixDays, justInside);
    }

    private UUID record(String age) {
        var id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "insert into processed_events (event_id, topic, processed_at) "
                                + "values (cast(?1 as uuid), 'voice.sessions', now() - cast(?2 as interval))")
                .setParameter(1, id.toString()).setParameter(2, age).executeUpdate());
        return id;
    }

    @SuppressWarnings("unchecked")
    private List<UUID> present(List<UUID> ids) {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Object>) entityManager.createNativeQuery(
                        "select cast(event_id as text) from processed_events where cast(event_id as text) in (?1)")
                .setParameter(1, ids.stream().map(UUID::toString).toList()).getResultList())
                .stream().map(o -> UUID.fromString(o.toString())).toList());
    }
}
