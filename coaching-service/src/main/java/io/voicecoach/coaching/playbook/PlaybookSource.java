package io.voicecoach.coaching.playbook;

import io.quarkus.runtime.Startup;
import io.voicecoach.coaching.CoachingConfig;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The playbook every tenant is coached with for now, loaded once at start-up (which fails if it is broken). */
@Startup
@Singleton
public class PlaybookSource {

    private static final Logger LOG = Logger.getLogger(PlaybookSource.class);

    private final Playbook playbook;

    public PlaybookSource(CoachingConfig config) {
        this.playbook = PlaybookLoader.fromResource(config.playbook());
        LOG.infof("playbook %s loaded from %s: %d objection categories, %d competitors", playbook.name(),
                config.playbook(), playbook.objections().size(),
                playbook.competitors() == null ? 0 : playbook.competitors().names().size());
    }

    public Playbook playbook() {
        return playbook;
    }
}
