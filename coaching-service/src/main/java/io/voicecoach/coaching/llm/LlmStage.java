package io.voicecoach.coaching.llm;

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
 * transcript goes to live LLM coaching; {@code session.ended} starts the post-call summary. Neither
 * method blocks nor throws: LLM work runs in the background and never holds up the rules path.
 */
@ApplicationScoped
public class LlmStage {

    private static final Logger LOG = Logger.getLogger(LlmStage.class);

    private final LiveCoach coach;
    private final CallSummaries summaries;

    public LlmStage(LiveCoach coach, CallSummaries summaries) {
        this.coach = coach;
        this.summaries = summaries;
    }

    /** Called once the rules result for a final transcript is on Kafka. */
    public void afterRules(Envelope event, Transcript transcript, Optional<Detection> rules) {
        try {
            coach.afterRules(event, transcript, rules);
        } catch (RuntimeException e) {
            LOG.errorf(e, "LLM stage failed for transcript event %s", event.eventId());
        }
    }

    /** Called for every {@code voice.sessions} event. */
    public void onSessionEvent(Envelope event) {
        try {
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
