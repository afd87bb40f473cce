package io.voicecoach.coaching.nudge;

import java.time.Duration;

/**
 * @param window            the sliding window of call time the talk:listen ratio is measured over
 * @param maxRepShare       rep share of the speech in the window above which the talk-ratio nudge fires
 * @param minSpeech         speech (both tracks) needed in the window before the ratio is judged
 * @param monologue         rep speech without the customer speaking that triggers the monologue nudge
 * @param questionsAfter    call time after which too few rep questions trigger a nudge
 * @param minQuestions      questions the rep should have asked by then
 * @param cooldown          event time before the same nudge type is repeated in a session
 * @param repeatCooldown    event time before the same objection category is repeated
 * @param maxInterruptions  times the rep may talk over the customer (per nudge cool-down) before being nudged
 * @param liveExtrapolation how long after the rep's latest partial transcript the rep is taken to be still speaking,
 *                          for the monologue nudge given while it goes on
 */
public record NudgeSettings(boolean enabled, Duration window, double maxRepShare, Duration minSpeech,
                            Duration monologue, Duration questionsAfter, int minQuestions, Duration cooldown,
                            Duration repeatCooldown, int maxInterruptions, Duration liveExtrapolation) {

    public static NudgeSettings defaults() {
        return new NudgeSettings(true, Duration.ofMinutes(3), 0.65, Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofMinutes(5), 3, Duration.ofMinutes(2), Duration.ofMinutes(2), 3, Duration.ofSeconds(15));
    }
}
