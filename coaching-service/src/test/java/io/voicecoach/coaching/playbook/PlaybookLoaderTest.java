package io.voicecoach.coaching.playbook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybookLoaderTest {

    private static final String VALID = """
            {"name": "mini", "minConfidence": 0.5, "strongObjectionConfidence": 0.9,
             "weights": {"phrase": 0.8, "pattern": 0.9, "keyword": 0.25},
             "negators": ["not"], "negationWindow": 3,
             "competitors": {"category": "competitor", "weight": 0.45, "names": ["Globex"]},
             "objections": [
               {"category": "price", "phrases": ["too expensive"], "answer": {"title": "Price", "message": "Anchor on value"}},
               {"category": "competitor", "keywords": ["vendor"], "answer": {"title": "Competitor", "message": "Differentiate"}}
             ],
             "buyingSignals": {"patterns": ["\\\\bwhen can we start\\\\b"], "answer": {"title": "Buy", "message": "Close"}}}
            """;

    @Test
    void loadsTheDefaultPlaybookWithEveryCategoryAndCompetitor() {
        var playbook = PlaybookLoader.fromResource("playbooks/default.json");

        assertThat(playbook.objections()).extracting(Playbook.Rule::category)
                .containsExactly("price", "timing", "authority", "competitor", "need", "trust", "status_quo");
        assertThat(playbook.objections()).allSatisfy(rule -> {
            assertThat(rule.answer().title()).isNotBlank();
            assertThat(rule.answer().message()).isNotBlank();
            assertThat(rule.phrases()).isNotEmpty();
        });
        assertThat(playbook.buyingSignals().answer().message()).isNotBlank();
        assertThat(playbook.competitors().names()).containsExactly("Globex", "Initech", "Umbrella", "Hooli");
    }

    @Test
    void parsesAValidDocument() {
        var playbook = PlaybookLoader.parse("mini", VALID);

        assertThat(playbook.name()).isEqualTo("mini");
        assertThat(playbook.objections()).hasSize(2);
        assertThat(playbook.buyingSignals().patterns()).containsExactly("\\bwhen can we start\\b");
        assertThat(playbook.objections().get(1).phrases()).isEmpty();
    }

    @Test
    void rejectsJsonThatDoesNotParse() {
        assertThatThrownBy(() -> PlaybookLoader.parse("broken.json", "{\"name\": \"x\", \"objections\": [ {"))
                .isInstanceOf(InvalidPlaybookException.class)
                .hasMessageStartingWith("playbook broken.json is not valid: ")
                .hasMessageContaining("line 1");
    }

    @Test
    void rejectsUnknownFieldsSoTyposDoNotGoUnnoticed() {
        assertThatThrownBy(() -> PlaybookLoader.parse("typo.json", VALID.replace("\"phrases\"", "\"phrasez\"")))
                .isInstanceOf(InvalidPlaybookException.class)
                .hasMessageContaining("phrasez")
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations().getFirst().path())
                        .isEqualTo("$.objections[0].phrasez"));
    }

    @Test
    void namesEveryMissingOrInvalidField() {
        String broken = VALID
                .replace("\"title\": \"Price\", ", "")
                .replace("\"minConfidence\": 0.5", "\"minConfidence\": 1.5")
                .replace("\\\\bwhen can we start\\\\b", "(unclosed")
                .replace("\"category\": \"competitor\", \"weight\"", "\"category\": \"rivals\", \"weight\"");

        assertThatThrownBy(() -> PlaybookLoader.parse("bad.json", broken))
                .isInstanceOf(InvalidPlaybookException.class)
                .hasMessageContaining("$.objections[0].answer.title is missing or blank")
                .hasMessageContaining("$.minConfidence must be in (0, 1], was 1.5")
                .hasMessageContaining("$.buyingSignals.patterns[0] (unclosed is not a regular expression")
                .hasMessageContaining("$.competitors.category rivals is not one of the objections")
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations())
                        .extracting(InvalidPlaybookException.Violation::path)
                        .contains("$.objections[0].answer.title", "$.minConfidence", "$.buyingSignals.patterns[0]",
                                "$.competitors.category"));
    }

    @Test
    void rejectsARuleWithoutTriggersAndDuplicateCategories() {
        String broken = VALID.replace("\"keywords\": [\"vendor\"]", "\"keywords\": []")
                .replace("{\"category\": \"competitor\", \"keywords\"", "{\"category\": \"price\", \"keywords\"");

        assertThatThrownBy(() -> PlaybookLoader.parse("bad.json", broken))
                .hasMessageContaining("$.objections[1].category price appears twice")
                .hasMessageContaining("$.objections[1] has no phrases, patterns or keywords");
    }

    @Test
    void rejectsAnEmptyDocumentAndAMissingResource() {
        assertThatThrownBy(() -> PlaybookLoader.parse("empty.json", "{}"))
                .hasMessageContaining("$.objections is missing or empty")
                .hasMessageContaining("$.buyingSignals is missing");
        assertThatThrownBy(() -> PlaybookLoader.fromResource("playbooks/nope.json"))
                .isInstanceOf(InvalidPlaybookException.class)
                .hasMessage("playbook resource playbooks/nope.json not found on the classpath");
    }
}
