package io.voicecoach.coaching.session;

import io.voicecoach.coaching.call.CallKeys;
import io.voicecoach.coaching.call.CallLegs;
import io.voicecoach.coaching.call.CallProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.util.Optional;
import java.util.Set;

/** Reads a session's state on the instance that owns it (tests, diagnostics). */
@ApplicationScoped
public class SessionStateLookup {

    private final KafkaStreams streams;

    public SessionStateLookup(KafkaStreams streams) {
        this.streams = streams;
    }

    public Optional<SessionState> session(String tenantId, String sessionId) {
        return read(SessionProcessor.SESSIONS_STORE, tenantId, sessionId, SessionState.class);
    }

    /** The session's conversation (LLM turns, agent history), if this instance holds one. */
    public Optional<ConversationState> conversation(String tenantId, String sessionId) {
        return read(SessionProcessor.CONVERSATIONS_STORE, tenantId, sessionId, ConversationState.class);
    }

    /** The sessions joined in the tenant's call, if this instance holds the call (empty otherwise). */
    public Set<String> callLegs(String tenantId, String callId) {
        return read(CallProcessor.STORE, CallKeys.of(tenantId, callId), CallLegs.class).map(CallLegs::sessions)
                .orElse(Set.of());
    }

    private <T> Optional<T> read(String storeName, String tenantId, String sessionId, Class<T> type) {
        return read(storeName, SessionKeys.of(sessionId, tenantId), type);
    }

    private <T> Optional<T> read(String storeName, String key, Class<T> type) {
        try {
            var store = streams.store(StoreQueryParameters.fromNameAndType(storeName,
                    QueryableStoreTypes.<String, byte[]>keyValueStore()));
            byte[] stored = store.get(key);
            return stored == null ? Optional.empty() : Optional.of(StateJson.read(stored, type));
        } catch (InvalidStateStoreException notQueryableYet) {
            return Optional.empty();
        }
    }

    /** Whether the session's state was erased (only the marker is left). */
    public boolean erased(String tenantId, String sessionId) {
        return session(tenantId, sessionId).map(s -> s.erased).orElse(false);
    }

    public boolean inAgentMode(String tenantId, String sessionId) {
        return session(tenantId, sessionId).map(s -> s.agent().agentMode()).orElse(false);
    }
}
