package io.voicecoach.coaching.warmup;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.kb.KbStore;
import io.voicecoach.coaching.session.ConversationState;
import io.voicecoach.coaching.session.LazyConversation;
import io.voicecoach.coaching.session.Outputs;
import io.voicecoach.coaching.session.SessionLogic;
import io.voicecoach.coaching.session.SessionState;
import io.voicecoach.coaching.session.StateJson;
import io.voicecoach.events.Event;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.kafka.EventSerde;
import io.voicecoach.platform.warmup.WarmupStep;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes the first real transcript as fast as the hundredth (issue 14): before the instance reports ready, a scratch
 * call goes through the same code a live final transcript takes on the stream thread (rules, embeddings, the
 * cool-down, the battle-card request, citations, stage and compliance, the session state's JSON and the envelopes'
 * serialiser), the knowledge base's first database query runs (Hibernate parses its first HQL), and the emitters'
 * producers fetch their topics' metadata. Nothing is published or stored: the outputs are serialised and dropped,
 * and the scratch tenant has no rows. The platform's {@code StartupWarmup} runs it.
 */
@ApplicationScoped
public class CoachingWarmup implements WarmupStep {

    /** Not a tenant any API key can name: the gateway's tenant ids never contain a space. */
    static final String TENANT = "warm up";

    private static final List<String> CUSTOMER = List.of(
            "Honestly the price is too high for us this quarter.",
            "We already use another vendor and it works fine.",
            "I would need to run this by my boss before we decide.",
            "How soon could we get started, and what does the contract look like?",
            "Now is not a good time, maybe next year.");
    private static final String REP = "I understand. What would make it worth it for your team this quarter?";
    private static final Map<String, String> PRODUCERS = Map.of("suggestions", Topics.SUGGESTIONS,
            "agent-replies", Topics.AGENT_REPLIES, "erasures", Topics.SESSIONS);

    private final SessionLogic logic;
    private final KbStore knowledge;
    private final KafkaClientService clients;
    private final CoachingConfig.Warmup config;
    public CoachingWarmup(SessionLogic logic, KbStore knowledge, KafkaClientService clients, CoachingConfig config) {
        this.logic = logic;
        this.knowledge = knowledge;
        this.clients = clients;
        this.config = config.warmup();
    }

    @Override
    public String name() {
        return "the coaching path (" + config.calls() + " scratch calls, the first HQL query, producer metadata)";
    }

    @Override
    public void run() {
        for (int round = 0; round < config.calls(); round++) {
            scratchCall(round);
        }
        knowledge.chunks(TENANT);
        PRODUCERS.forEach((channel, topic) -> clients.getProducer(channel).partitionsFor(topic)
                .await().atMost(config.timeout()));
    }

    private void scratchCall(int round) {
        String session = "warmup-" + round;
        SessionState state = logic.newState(TENANT, session);
        var conversation = new LazyConversation(ConversationState::new);
        var serializer = EventSerde.events().serializer();
        long at = 0;
        int seq = 0;
        for (String text : CUSTOMER) {
            for (var said : List.of(new Transcript("u" + seq, Track.CUSTOMER, text, true, at, at + 2_000, 0.9, "warmup",
                    Instant.now()), new Transcript("r" + seq, Track.AGENT, REP, true, at + 2_500, at + 4_000, 0.9,
                    "warmup", Instant.now()))) {
                var event = Event.of(UUID.randomUUID(), TENANT, session, ++seq, Instant.now(), "warmup", said);
                var out = new Outputs();
                logic.onFinalTranscript(state, conversation, event, said, out);
                for (var record : out.records()) {
                    serializer.serialize(record.topic(), Event.of(record.eventId(), TENANT, session, ++seq,
                            Instant.now(), "warmup", record.payload()));
                }
                StateJson.read(StateJson.write(state), SessionState.class);
            }
            at += 5_000;
        }
    }
}
