package io.voicecoach.bench.coaching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.bench.EvalSet;
import io.voicecoach.bench.LabelledUtterance;
import io.voicecoach.events.Track;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HopUtterancesTest {

    @Test
    void theMixCoversBothTracksAndEveryIntendedKind() {
        assertThat(HopUtterances.ALL).hasSizeGreaterThanOrEqualTo(40);
        assertThat(HopUtterances.ALL).extracting(HopUtterances.Line::track).contains(Track.AGENT, Track.CUSTOMER);
        assertThat(HopUtterances.ALL).extracting(HopUtterances.Line::intended)
                .contains(HopUtterances.OBJECTION, HopUtterances.BUYING_SIGNAL, HopUtterances.NEUTRAL, HopUtterances.REP);
        assertThat(HopUtterances.ALL).allMatch(line -> line.durationMs() > 0);
    }

    @Test
    void noLineComesFromTheEvaluationSetOrThePlaybook() throws IOException {
        var known = new HashSet<String>();
        EvalSet.load(EvalSet.DEFAULT).stream().map(LabelledUtterance::text).map(HopUtterancesTest::normalise)
                .forEach(known::add);
        try (var playbook = getClass().getClassLoader().getResourceAsStream("playbooks/default.json")) {
            assertThat(playbook).isNotNull();
            collectStrings(new ObjectMapper().readTree(playbook), known);
        }
        assertThat(known).hasSizeGreaterThan(500);

        assertThat(HopUtterances.ALL).extracting(line -> normalise(line.text())).doesNotContainAnyElementsOf(known);
    }

    private static void collectStrings(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            into.add(normalise(node.asText()));
        }
        node.forEach(child -> collectStrings(child, into));
    }

    private static String normalise(String text) {
        return text.toLowerCase().replaceAll("[^a-z0-9]+", " ").trim();
    }
}
