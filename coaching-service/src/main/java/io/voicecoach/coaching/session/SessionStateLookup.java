package io.voicecoach.coaching.session;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.util.Optional;

/** Reads a session's state on the instance that owns it (tests, diagnostics). */
@ApplicationScoped
public class SessionStateLookup {

    private final KafkaStreams streams;

    public SessionStateLookup(KafkaStreams streams) {
        this.streams = streams;
    }

    public Optional<SessionState> session(String tenantId, String sessionId) {
        try {
            var store = streams.store(StoreQueryParameters.fromNameAndType(SessionProcessor.SESSIONS_STORE,
                    QueryableStoreTypes.<String, byte[]>keyValueStore()));
            byte[] stored = store.get(SessionKeys.of(sessionId, tenantId));
            return stored == null ? Optional.empty() : Optional.of(StateJson.read(stored, SessionState.class));
        } catch (InvalidStateStoreException notQueryableYet) {
            return Optional.empty();
        }
    }

    public boolean inAgentMode(String tenantId, String sessionId) {
        return session(tenantId, sessionId).map(s -> s.agent().agentMode()).orElse(false);
    }
}
