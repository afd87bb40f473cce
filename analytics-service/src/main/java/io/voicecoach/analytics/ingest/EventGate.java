package io.voicecoach.analytics.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.voicecoach.analytics.store.ErasedSession;
import io.voicecoach.analytics.store.ProcessedEvent;
import io.voicecoach.analytics.store.SessionRow;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Admits an event into the caller's transaction: skips it if it was applied before, and hands back its session's
 * row, locked, after checking the event's tenant owns the session.
 */
@Startup // registers its counters at boot, so dashboards see zeros rather than nothing
@ApplicationScoped
public class EventGate {

    private static final Logger LOG = Logger.getLogger(EventGate.class);

    private final MeterRegistry meters;

    public EventGate(MeterRegistry meters) {
        this.meters = meters;
        for (String topic : List.of(Topics.SESSIONS, Topics.TRANSCRIPTS, Topics.SUGGESTIONS, Topics.TOOL_CALLS,
                Topics.TOOL_RESULTS)) {
            for (String outcome : List.of("applied", "duplicate", "rejected", "skipped", "erased")) {
                counter(topic, outcome);
            }
        }
    }

    /** @return the session to apply the event to, or empty for a duplicate or an event of an erased session */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<SessionRow> admit(String topic, Envelope event) {
        if (event.tenantId().isBlank() || event.sessionId().isBlank()) {
            throw new InvalidEventException(event.type() + " without tenantId or sessionId");
        }
        if (!ProcessedEvent.markProcessed(event.eventId(), topic)) {
            count(topic, "duplicate");
            return Optional.empty();
        }
        var session = SessionRow.claim(event.tenantId(), event.sessionId());
        // checked with the row locked: an erasure committed meanwhile is seen, and the row just claimed removed
        if (ErasedSession.isErased(event.sessionId())) {
            session.delete();
            count(topic, "erased");
            return Optional.empty();
        }
        if (!session.tenantId.equals(event.tenantId())) {
            count(topic, "rejected");
            LOG.warnf("rejecting %s %s from tenant %s: session %s belongs to another tenant",
                    event.type(), event.eventId(), event.tenantId(), event.sessionId());
            throw new TenantMismatchException("session " + event.sessionId() + " belongs to another tenant");
        }
        count(topic, "applied");
        return Optional.of(session);
    }

    /** Counts an event this service does not store (partial transcripts, unknown types). */
    public void skipped(String topic, Envelope event) {
        LOG.debugf("skipping %s %s", event.type(), event.eventId());
        count(topic, "skipped");
    }

    private void count(String topic, String outcome) {
        counter(topic, outcome).increment();
    }

    private Counter counter(String topic, String outcome) {
        return Counter.builder("voicecoach.analytics.events")
                .description("Events consumed, by topic and outcome")
                .tags("topic", topic, "outcome", outcome)
                .register(meters);
    }
}
