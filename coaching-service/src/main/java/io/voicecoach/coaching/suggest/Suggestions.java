package io.voicecoach.coaching.suggest;

import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.nudge.LiveMonologue;
import io.voicecoach.coaching.nudge.Nudge;
import io.voicecoach.events.Citation;
import io.voicecoach.events.Event;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Transcript;

import java.util.List;
import java.util.UUID;

/** The {@code coaching.suggestion}s a transcript gives rise to; their ids derive from the transcript event. */
public final class Suggestions {

    private Suggestions() {
    }

    /** The id of the detection suggestion {@code trigger} gives rise to; a redelivered transcript gives the same. */
    public static String suggestionId(Event<?> trigger) {
        return DerivedIds.of("suggestion", trigger.eventId()).toString();
    }

    /** A detection's suggestion with the knowledge-base chunks it cites; its battle card, if any, follows on its own. */
    public static Suggestion of(Event<?> trigger, Transcript transcript, Detection detection, List<Citation> citations) {
        return new Suggestion(suggestionId(trigger), transcript.utteranceId(), detection.kind(), detection.category(),
                detection.answer().title(), detection.answer().message(), detection.confidence(), detection.source(),
                detection.isObjection() ? 1 : 2, null, trigger.occurredAt(), transcript.receivedAt(), citations);
    }

    /** The monologue nudge given by the session timer while the rep's speech goes on; its time is when it was due. */
    public static Suggestion liveMonologueNudge(LiveMonologue live, Nudge nudge) {
        return new Suggestion(DerivedIds.of("timed-nudge", live.partialEventId()).toString(), live.utteranceId(),
                Nudge.KIND, nudge.type(), nudge.title(), nudge.message(), 1.0, Detection.RULES, nudge.priority(), null,
                live.due(), live.receivedAt());
    }

    /** A nudge of the timer, about no utterance; its id derives from {@code source} (an event of the session). */
    public static Suggestion timedNudge(UUID source, Nudge nudge, String idPurpose) {
        return new Suggestion(DerivedIds.of(idPurpose, source).toString(), null, Nudge.KIND, nudge.type(),
                nudge.title(), nudge.message(), 1.0, Detection.RULES, nudge.priority(), null, null, null);
    }

    /** A nudge triggered by {@code transcript}; its id derives from {@code idPurpose} and the transcript event. */
    public static Suggestion nudge(Event<?> trigger, Transcript transcript, Nudge nudge, String idPurpose) {
        return new Suggestion(DerivedIds.of(idPurpose, trigger.eventId()).toString(), transcript.utteranceId(),
                Nudge.KIND, nudge.type(), nudge.title(), nudge.message(), 1.0, Detection.RULES, nudge.priority(), null,
                trigger.occurredAt(), transcript.receivedAt());
    }
}
