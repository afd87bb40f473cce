package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionSnapshot;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions nobody holds any more end after the resume window: one held by a dead instance ({@code gateway_lost}),
 * one a drained instance let go ({@code resume_expired}); one held by a live instance does not, until that instance
 * stops beating. Each ends once, with a name-based event id, and its snapshot is tombstoned. A session an earlier
 * run of this instance held waits a whole resume window from when this run found it.
 */
@QuarkusTest
@TestProfile(OrphanExpiryTest.ShortWindows.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class OrphanExpiryTest {

    private static final String SELF = "local";
    private static final String ALIVE = "gw-alive";

    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.session.resume-window", "2s", "voicecoach.gateway.instance-timeout", "2s",
                    "voicecoach.gateway.heartbeat-interval", "500ms", "voicecoach.limits.sweep-interval", "200ms");
        }
    }

    @Inject
    SessionStore store;

    private final StateRecords records = new StateRecords();
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        records.close();
        kafka.close();
    }

    @Test
    void orphansEndAfterTheResumeWindowOnceAndSessionsOfLiveInstancesStay() throws Exception {
        var beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> records.beat(ALIVE), 0, 300, TimeUnit.MILLISECONDS);
        try (var sessions = kafka.read(Topics.SESSIONS);
             var snapshots = kafka.read(Topics.GATEWAY_SESSIONS)) {
            await().atMost(WAIT).until(() -> store.lastHeard(ALIVE) != null);
            // every instance picks the same ender from the live ones ([gw-alive, local]); these ids pick this one
            String ofDead = endedHere("sess_dead_");
            String ofDrained = endedHere("sess_drained_");
            String ofAlive = "sess_alive_" + UUID.randomUUID();
            Instant opened = Instant.now().minusSeconds(60);
            records.snapshot(StateRecords.snapshot(DEMO_TENANT, ofDead, "gw-dead", opened));
            records.snapshot(drained(StateRecords.snapshot(DEMO_TENANT, ofDrained, null, opened)));
            records.snapshot(StateRecords.snapshot(DEMO_TENANT, ofAlive, ALIVE, opened));

            var endedDead = awaitEnded(sessions, ofDead);
            var endedDrained = awaitEnded(sessions, ofDrained);
            assertThat(endedDead.payloadAs(SessionEnded.class).reason()).isEqualTo("gateway_lost");
            assertThat(endedDrained.payloadAs(SessionEnded.class).reason()).isEqualTo("resume_expired");
            assertThat(endedDead.eventId()).isEqualTo(SessionPublisher.derivedId(ofDead + "/ended"));
            assertThat(endedDead.tenantId()).isEqualTo(DEMO_TENANT);
            for (String id : List.of(ofDead, ofDrained)) {
                snapshots.awaitOne(r -> id.equals(r.key()) && r.value() == null, WAIT);
                await().atMost(WAIT).until(() -> store.find(id).isEmpty());
            }
            // the live instance's session outlived two resume windows
            assertThat(store.find(ofAlive)).isPresent();
            assertThat(sessions.envelopes(ofAlive, EventTypes.SESSION_ENDED)).isEmpty();

            beats.shutdownNow();
            var endedAlive = awaitEnded(sessions, ofAlive);
            assertThat(endedAlive.payloadAs(SessionEnded.class).reason()).isEqualTo("gateway_lost");
            snapshots.awaitOne(r -> ofAlive.equals(r.key()) && r.value() == null, WAIT);
            await().atMost(WAIT).until(() -> store.find(ofAlive).isEmpty());

            // gone from the store, no sweep can end them again
            for (String id : List.of(ofDead, ofDrained, ofAlive)) {
                assertThat(sessions.envelopes(id, EventTypes.SESSION_ENDED)).hasSize(1);
            }
        } finally {
            beats.shutdownNow();
        }
    }

    @Test
    void aSessionAnEarlierRunOfThisInstanceHeldGetsAWholeResumeWindowFromWhenThisRunFoundIt() throws Exception {
        try (var sessions = kafka.read(Topics.SESSIONS)) {
            // same instance id (a container restart in its pod), last snapshot a minute old
            String leftBehind = endedHere("sess_left_");
            await().atMost(WAIT).until(store::caughtUp);
            var minuteAgo = Instant.now().minusSeconds(60);
            records.snapshot(lastUpdated(StateRecords.snapshot(DEMO_TENANT, leftBehind, SELF, minuteAgo), minuteAgo));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> store.find(leftBehind).isPresent());
            long found = System.nanoTime();

            var ended = awaitEnded(sessions, leftBehind);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - found);

            assertThat(ended.payloadAs(SessionEnded.class).reason()).isEqualTo("gateway_lost");
            assertThat(waitedMs).as("ended after the 2 s resume window, not at the first sweep")
                    .isGreaterThanOrEqualTo(2000);
        }
    }

    private static Envelope awaitEnded(KafkaTestClient.TopicReader sessions, String id) {
        await().atMost(WAIT).until(() -> !sessions.envelopes(id, EventTypes.SESSION_ENDED).isEmpty());
        return sessions.envelopes(id, EventTypes.SESSION_ENDED).getFirst();
    }

    /** A session id whose ender among [gw-alive, local] is this instance (OrphanSweeper's choice). */
    private static String endedHere(String prefix) {
        var live = List.of(ALIVE, SELF);
        while (true) {
            String id = prefix + UUID.randomUUID();
            if (live.get(Math.floorMod(id.hashCode(), live.size())).equals(SELF)) {
                return id;
            }
        }
    }

    private static SessionSnapshot lastUpdated(SessionSnapshot s, Instant updatedAt) {
        return new SessionSnapshot(s.sessionId(), s.tenantId(), s.transport(), s.openedAt(), updatedAt, s.holder(),
                s.epoch(), s.detachedAt(), s.configured(), s.started(), s.announced(), s.lastItemId(), s.seq(),
                s.cursor(), s.trackPositionsMs());
    }

    private static SessionSnapshot drained(SessionSnapshot s) {
        return new SessionSnapshot(s.sessionId(), s.tenantId(), s.transport(), s.openedAt(), s.updatedAt(), null,
                s.epoch(), Instant.now(), s.configured(), s.started(), s.announced(), s.lastItemId(), s.seq(),
                s.cursor(), s.trackPositionsMs());
    }
}
