package io.voicecoach.coaching.llm;

import io.voicecoach.coaching.agent.AgentSessions;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Where the rules pipeline hands over to the LLM features, so the existing consumers need one call each: a final
 * transcript goes to the voice agent when its session is in agent mode, else to live LLM coaching; session events
 * drive the agent (mode, barge-in, response requests) and, on {@code session.ended}, the post-call summary. Neither
 * method blocks nor throws: LLM work runs in the background and never holds up the rules path.
 */
@ApplicationScoped
public class LlmStage {

    private static final Logger LOG = Logger.getLogger(LlmStage.class);

    private final LiveCoach coach;
    private final CallSummaries summaries;
    private final AgentSessions agents;

    public LlmStage(LiveCoach coach, CallSummaries summaries, AgentSessions agents) {
        this.coach = coach;
        this.summaries = summaries;
        this.agents = agents;
    }

    /** Called once the rules result for a final transcript is on Kafka. */
    public void afterRules(Envelope event, Transcript transcript, Optional<Detection> rules) {
        try {
            if (!agents.onFinalTranscript(event, transcript)) {
                coach.afterRules(event, transcript, rules);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "LLM stage failed for transcript event %s", event.eventId());
        }
    }

    /** Called for every {@code voice.sessions} event. */
    public void onSessionEvent(Envelope event) {
        try {
            agents.onSessionEvent(event);
            if (EventTypes.SESSION_ENDED.equals(event.type())) {
                summaries.onSessionEnded(event);
            }
        } catch (InvalidEventException e) {
            LOG.warnf("ignoring %s for the LLM features: %s", event.type(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "LLM stage failed for session event %s", event.eventId());
        }
    }
}
