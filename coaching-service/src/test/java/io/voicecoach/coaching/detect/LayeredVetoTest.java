package io.voicecoach.coaching.detect;

import io.voicecoach.coaching.playbook.PlaybookLoader;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.voicecoach.coaching.detect.RuleDetectorTest.customer;
import static org.assertj.core.api.Assertions.assertThat;

/** What the embedding layer reports is dropped when the playbook's negative patterns rule that category out. */
class LayeredVetoTest {

    private final RuleDetector rules = new RuleDetector(PlaybookLoader.fromResource("playbooks/default.json"));

    @Test
    void aReassuranceIsNotReportedAsTheObjectionItMentions() {
        var layered = new LayeredDetector(rules, alwaysSays("price"));

        assertThat(layered.detect(customer("Price isn't really an issue for us."))).isEmpty();
        assertThat(layered.detect(customer("Honestly, money has never been the problem here."))).isEmpty();
        assertThat(layered.detect(customer("We just don't have the money this year.")))
                .get().extracting(Detection::category, Detection::source).containsExactly("price", Detection.EMBEDDING);
    }

    @Test
    void aVetoOnlyCoversItsOwnCategory() {
        var sure = customer("I'm not worried about security at all.");

        assertThat(new LayeredDetector(rules, alwaysSays("trust")).detect(sure)).isEmpty();
        assertThat(new LayeredDetector(rules, alwaysSays("timing")).detect(sure)).get()
                .extracting(Detection::category).isEqualTo("timing");
    }

    private static Detector alwaysSays(String category) {
        return transcript -> Optional.of(new Detection(Detection.OBJECTION, category, 0.7, "an example", null, null,
                Detection.EMBEDDING));
    }
}
