package io.voicecoach.coaching.detect;

import io.voicecoach.coaching.playbook.PlaybookSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The detector in use: playbook rules for now. */
public class DetectorSetup {

    @Produces
    @Singleton
    Detector detector(PlaybookSource playbooks) {
        return new RuleDetector(playbooks.playbook());
    }
}
