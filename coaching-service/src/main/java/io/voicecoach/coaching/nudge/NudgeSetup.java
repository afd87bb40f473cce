package io.voicecoach.coaching.nudge;

import io.voicecoach.coaching.CoachingConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class NudgeSetup {

    @Produces
    @Singleton
    NudgeEngine nudgeEngine(CoachingConfig config) {
        var n = config.nudges();
        return new NudgeEngine(new NudgeSettings(n.enabled(), n.window(), n.maxRepShare(), n.minSpeech(), n.monologue(),
                n.questionsAfter(), n.minQuestions(), n.cooldown(), n.repeatCooldown(), n.maxInterruptions(),
                n.liveExtrapolation()));
    }
}
