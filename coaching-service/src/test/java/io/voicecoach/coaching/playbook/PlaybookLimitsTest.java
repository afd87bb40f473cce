package io.voicecoach.coaching.playbook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.ConfigStub;
import io.voicecoach.events.EventJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant's playbook beyond any of the size limits is refused, each time naming the JSON path of what is too large. */
class PlaybookLimitsTest {

    private static final PlaybookLimits SMALL = new PlaybookLimits(200_000, 8, 50, 100, 400, 60, 300, 400, 500, 8_000);

    @Test
    void theConfiguredDefaultsAreTheDocumentedOnesAndTheBundledPlaybookFitsThem() throws IOException {
        var config = ConfigStub.of(CoachingConfig.class, Map.of());
        assertThat(PlaybookLimits.of(config.playbooks().limits())).isEqualTo(PlaybookLimits.DEFAULT);
        assertThatCode(() -> PlaybookLoader.parse("default", bundledJson(), PlaybookLimits.DEFAULT))
                .doesNotThrowAnyException();
    }

    @Test
    void tooManyCategoriesIsOneViolationOnTheList() {
        assertRefused(p -> {
            var objections = (ArrayNode) p.get("objections");
            for (int i = 0; i < 10; i++) {
                objections.add(((ObjectNode) objections.get(0).deepCopy()).put("category", "extra" + i));
            }
        }, "$.objections", "more than the 8 allowed");
    }

    @Test
    void examplesPerRuleCharactersPerExampleAndSentencesInAll() {
        assertRefused(p -> fill(examples(p, 1), 51, "We cannot afford it."), "$.objections[1].examples", "51 entries");
        assertRefused(p -> examples(p, 0).set(3, EventJson.MAPPER.getNodeFactory().textNode("x".repeat(101))),
                "$.objections[0].examples[3]", "101 characters");
        assertRefused(p -> {
            for (int i = 0; i < 7; i++) {
                fill(examples(p, i), 50, "An example sentence.");
            }
            fill((ArrayNode) p.get("neutralExamples"), 50, "Hello there.");
        }, "$", "example sentences and stage questions, more than the 400 allowed");
        assertRefused(p -> fill((ArrayNode) p.get("neutralExamples"), 51, "Hello there."), "$.neutralExamples",
                "51 entries");
    }

    @Test
    void phrasesPatternsAnswersAndOtherLists() {
        assertRefused(p -> fill((ArrayNode) p.get("objections").get(0).get("phrases"), 61, "too expensive"),
                "$.objections[0].phrases", "61 entries");
        assertRefused(p -> ((ObjectNode) p.get("objections").get(2).get("answer")).put("message", "m".repeat(301)),
                "$.objections[2].answer.message", "301 characters");
        assertRefused(p -> ((ArrayNode) p.get("buyingSignals").get("patterns")).add("a".repeat(401)),
                "$.buyingSignals.patterns[LAST]", "401 characters");
        assertRefused(p -> fill((ArrayNode) p.get("negators"), 61, "nope"), "$.negators", "61 entries");
        assertRefused(p -> fill((ArrayNode) p.get("battleCards"), 61, null), "$.battleCards", "61 entries");
    }

    @Test
    void aDocumentAboveTheCharacterLimitIsRefusedBeforeItIsParsed() {
        String huge = "{\"name\": \"" + "x".repeat(SMALL.maxChars()) + "\"}";
        assertThatThrownBy(() -> PlaybookLoader.parse("huge", huge, SMALL))
                .isInstanceOf(InvalidPlaybookException.class)
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations())
                        .singleElement().satisfies(v -> {
                            assertThat(v.path()).isEqualTo("$");
                            assertThat(v.message()).contains("more than the 200000 allowed");
                        }));
    }

    @Test
    void aFloodOfViolationsIsListedOnlyInPart() {
        var playbook = bundled();
        fill((ArrayNode) playbook.get("neutralExamples"), 40, " ");
        fill(examples(playbook, 0), 40, " ");
        fill(examples(playbook, 1), 40, " ");
        assertThatThrownBy(() -> PlaybookLoader.parse("blank", playbook.toString(), SMALL))
                .satisfies(e -> {
                    var violations = ((InvalidPlaybookException) e).violations();
                    assertThat(violations).hasSize(101);
                    assertThat(violations.getLast().message()).isEqualTo("and 20 more violations");
                });
    }

    private static void assertRefused(Consumer<ObjectNode> change, String path, String message) {
        var playbook = bundled();
        change.accept(playbook);
        String expectedPath = path.replace("LAST",
                Integer.toString(playbook.get("buyingSignals").get("patterns").size() - 1));
        assertThatThrownBy(() -> PlaybookLoader.parse("tenant", playbook.toString(), SMALL))
                .isInstanceOf(InvalidPlaybookException.class)
                .satisfies(e -> assertThat(((InvalidPlaybookException) e).violations())
                        .anySatisfy(v -> {
                            assertThat(v.path()).isEqualTo(expectedPath);
                            assertThat(v.message()).contains(message);
                        }));
    }

    private static ArrayNode examples(ObjectNode playbook, int objection) {
        return (ArrayNode) playbook.get("objections").get(objection).get("examples");
    }

    /** Clears the list and puts {@code count} entries in it (copies of the text, or of its first element). */
    private static void fill(ArrayNode list, int count, String text) {
        var first = list.isEmpty() ? null : list.get(0).deepCopy();
        list.removeAll();
        for (int i = 0; i < count; i++) {
            if (text != null) {
                list.add(text.isBlank() ? text : text + " " + i);
            } else {
                list.add(first);
            }
        }
    }

    /** The bundled playbook, cut down to fit {@link #SMALL}. */
    private static ObjectNode bundled() {
        try {
            var playbook = (ObjectNode) EventJson.MAPPER.readTree(bundledJson());
            playbook.get("objections").forEach(o -> {
                var examples = (ArrayNode) o.get("examples");
                while (examples.size() > 20) {
                    examples.remove(examples.size() - 1);
                }
            });
            var neutral = (ArrayNode) playbook.get("neutralExamples");
            while (neutral.size() > 20) {
                neutral.remove(neutral.size() - 1);
            }
            var signals = (ArrayNode) playbook.get("buyingSignals").get("examples");
            while (signals.size() > 20) {
                signals.remove(signals.size() - 1);
            }
            PlaybookLoader.parse("fits", playbook.toString(), SMALL);
            return playbook;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bundledJson() throws IOException {
        try (InputStream in = PlaybookLimitsTest.class.getClassLoader().getResourceAsStream("playbooks/default.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
