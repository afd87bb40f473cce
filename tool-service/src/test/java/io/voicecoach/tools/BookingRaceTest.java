package io.voicecoach.tools;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.tools.calendar.Appointments;
import io.voicecoach.tools.calls.ToolCallHandler;
import io.voicecoach.tools.seed.DemoSeeder;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.voicecoach.tools.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent bookings of one slot: exactly as many win as there are bays, every other one gets {@code slot_taken}
 * with alternatives, and the database holds exactly the winners.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "tool"))
@QuarkusTestResource(GatewayCredentialStub.class)
@QuarkusTestResource(KnowledgeSearchStub.class)
class BookingRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ToolCallHandler handler;

    @Inject
    DemoSeeder seeder;

    @Inject
    Appointments appointments;

    @Inject
    EntityManager entityManager;

    @Test
    void eightConcurrentBookingsOfOneBayExactlyOneWins() throws Exception {
        String tenant = Calls.calendarTenant(seeder, "race", 1);
        String start = Calls.weekday(2, DayOfWeek.WEDNESDAY) + "T10:00";
        var results = race(8, i -> handler.answer(tenant, "sess_" + i, booking("call_" + UUID.randomUUID(), start)).result());

        var winners = results.stream().filter(ToolResult::ok).toList();
        var losers = results.stream().filter(r -> !r.ok()).toList();
        System.out.printf("booking race (1 bay, 8 threads): %d booked, %d slot_taken%n", winners.size(), losers.size());
        assertThat(winners).hasSize(1);
        assertThat(losers).hasSize(7).allSatisfy(r -> {
            assertThat(r.error().code()).isEqualTo("slot_taken");
            var alternatives = r.result().path("alternatives");
            assertThat(alternatives).hasSize(3);
            assertThat(alternatives.findValuesAsText("start")).doesNotContain(
                    winners.getFirst().result().path("start").asText());
        });
        assertThat(bookedAt(tenant, winners.getFirst())).isEqualTo(1);
        assertThat(slotRows(tenant)).isEqualTo(1);
    }

    @Test
    void capacityIsPerBayAndOverlappingLongerServicesCount() throws Exception {
        String tenant = Calls.calendarTenant(seeder, "race2", 2);
        var day = Calls.weekday(2, DayOfWeek.THURSDAY);
        // a 60-minute brake job from 10:00 and 30-minute oil changes at 10:30 compete for two bays
        var calls = new Calls(handler);
        Calls.ok(calls.call(tenant, "book_appointment", "{\"phone\": \"+16175550199\", \"service_type\": \"brake_job\", "
                + "\"start\": \"" + day + "T10:00\"}"));
        var results = race(6, i -> handler.answer(tenant, "sess_" + i,
                booking("call_" + UUID.randomUUID(), day + "T10:30")).result());
        assertThat(results.stream().filter(ToolResult::ok)).hasSize(1);
        assertThat(results.stream().filter(r -> !r.ok())).hasSize(5)
                .allSatisfy(r -> assertThat(r.error().code()).isEqualTo("slot_taken"));
        assertThat(slotRows(tenant)).isEqualTo(3);
    }

    @Test
    void kafkaAndDirectCallsRacingForOneSlotBookItOnce() throws Exception {
        String tenant = Calls.calendarTenant(seeder, "race3", 1);
        String start = Calls.weekday(2, DayOfWeek.FRIDAY) + "T14:00";
        String session = "sess_" + UUID.randomUUID();
        var kafkaCalls = List.of("call_" + UUID.randomUUID(), "call_" + UUID.randomUUID(), "call_" + UUID.randomUUID());
        try (var kafka = KafkaTestClient.forSharedBroker(); var published = kafka.read(Topics.TOOL_RESULTS)) {
            var gate = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(4)) {
                var direct = new ArrayList<Future<ToolResult>>();
                for (int i = 0; i < 3; i++) {
                    direct.add(pool.submit(() -> {
                        gate.await();
                        return handler.answer(tenant, session, booking("call_" + UUID.randomUUID(), start)).result();
                    }));
                }
                pool.submit(() -> {
                    gate.await();
                    kafkaCalls.forEach(id -> kafka.send(Topics.TOOL_CALLS, Envelope.of(EventTypes.TOOL_CALL, tenant,
                            session, 1, "test", booking(id, start))));
                    return null;
                });
                gate.countDown();
                var results = new ArrayList<ToolResult>();
                for (var f : direct) {
                    results.add(f.get());
                }
                published.await(r -> r.envelope() != null && kafkaCalls.contains(r.envelope().payload().path("callId").asText()),
                        3, WAIT).forEach(r -> results.add(r.envelope().payloadAs(ToolResult.class)));
                assertThat(results).hasSize(6);
                assertThat(results.stream().filter(ToolResult::ok)).hasSize(1);
                assertThat(results.stream().filter(r -> !r.ok()))
                        .allSatisfy(r -> assertThat(r.error().code()).isEqualTo("slot_taken"));
            }
        }
        assertThat(slotRows(tenant)).isEqualTo(1);
    }

    private static ToolCall booking(String callId, String start) {
        return new ToolCall(callId, "book_appointment", json("{\"phone\": \"+16175550199\", \"service_type\": "
                + "\"oil_change\", \"start\": \"" + start + "\"}"), "test", 30000);
    }

    private interface Attempt {
        ToolResult run(int index) throws Exception;
    }

    /** Runs {@code n} attempts on {@code n} threads released at the same instant. */
    private static List<ToolResult> race(int n, Attempt attempt) throws Exception {
        var ready = new CountDownLatch(n);
        var go = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(n)) {
            var futures = new ArrayList<Future<ToolResult>>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<ToolResult> task = () -> {
                    ready.countDown();
                    go.await();
                    return attempt.run(index);
                };
                futures.add(pool.submit(task));
            }
            ready.await();
            go.countDown();
            var results = new ArrayList<ToolResult>();
            for (var f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    private long bookedAt(String tenant, ToolResult winner) {
        var start = OffsetDateTime.parse(winner.result().path("start").asText()).toInstant();
        return QuarkusTransaction.requiringNew().call(() -> appointments.countBooked(tenant, start));
    }

    private long slotRows(String tenant) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("SELECT count(*) FROM bay_slots WHERE tenant_id = :t")
                .setParameter("t", tenant).getSingleResult()).longValue());
    }
}
