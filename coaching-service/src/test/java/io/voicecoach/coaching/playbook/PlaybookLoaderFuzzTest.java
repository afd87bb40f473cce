package io.voicecoach.coaching.playbook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voicecoach.coaching.detect.RuleDetector;
import io.voicecoach.coaching.stage.ComplianceRules;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.platform.testing.JsonMutations;
import io.voicecoach.platform.testing.SeededCases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static io.voicecoach.platform.testing.SeededCases.chance;
import static io.voicecoach.platform.testing.SeededCases.oneOf;

/**
 * Fuzzes the playbook loader, the way a hostile tenant would call {@code PUT /api/v1/playbook}: random text, random
 * JSON, and the bundled playbook with one node replaced by random JSON (a string of regex syntax, a huge number, a
 * deep array, null...). The only allowed outcomes are a playbook or {@link InvalidPlaybookException} (the documented
 * 400); a playbook that loads must also build its detector and compliance rules and run them over a random utterance.
 * Anything else thrown is a crash. 3,200 cases from fixed seeds ({@link SeededCases}: a failure names the seed and
 * case that reproduce it); the number of inputs tried is printed at the end.
 */
class PlaybookLoaderFuzzTest {
    // inputs tried over all properties; "loaded" counts playbooks that loaded and patterns that compiled

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger LOADED = new AtomicInteger();
    private static final String BUNDLED = bundled();
    private static final List<JsonPointer> NODES = JsonMutations.pointers(tree(BUNDLED));
    private static final JsonNodeFactory NODE = EventJson.MAPPER.getNodeFactory();
    private static final List<String> KEYS = List.of("name", "objections", "patterns", "phrases", "examples", "answer",
            "title", "category", "weights", "phrase", "x", "");
    private static final List<String> ATOMS = List.of("a", "b", ".", "\\w", "\\b", "\\d", "\\s", "[a-z]", "[^x]",
            "(", ")", "(?:", "(?=", "(?<name>", "\\1", "|", "*", "+", "?", "{2}", "{1000}", "{2,5}", "{,3}",
            "{99999999999}", "$", "^", "\\Q", "\\E", "\\p{L}", "\\p{", "[[:alpha:]]", "[", "]", "\\", "(?i)", "{", "}");

    @Test
    void randomTextIsAPlaybookOrADocumentedRefusal() {
        SeededCases.run(19_001, 1000, random -> load(text(random), "hello"));
    }

    @Test
    void randomJsonIsAPlaybookOrADocumentedRefusal() {
        SeededCases.run(19_002, 600, random -> load(value(random, 4).toString(), "hello"));
    }

    @Test
    void theBundledPlaybookWithOneNodeReplacedIsAPlaybookOrADocumentedRefusal() {
        SeededCases.run(19_003, 600, random -> load(mutation(random), utterance(random)));
    }

    @Test
    void aRandomPatternIsRefusedWithAReasonOrRunsOverAnyText() {
        SeededCases.run(19_004, 1000, random -> {
            String regex = regex(random);
            String text = utterance(random);
            TRIED.incrementAndGet();
            var problem = TenantRegex.problem(regex, PlaybookLimits.DEFAULT.maxPatternSize());
            if (problem.isEmpty()) {
                LOADED.incrementAndGet();
                TenantRegex.compile(regex).matcher(text).find();
            } else if (problem.get().isBlank()) {
                throw new AssertionError("a refusal without a reason for " + regex);
            }
        });
    }

    @AfterAll
    static void report() {
        System.out.printf("playbook loader fuzz: %d inputs tried, %d loaded, 0 crashes%n", TRIED.get(), LOADED.get());
    }

    private static void load(String body, String said) {
        TRIED.incrementAndGet();
        Playbook playbook;
        try {
            playbook = PlaybookLoader.parse("fuzz", body, PlaybookLimits.DEFAULT);
        } catch (InvalidPlaybookException refused) {
            if (refused.violations().isEmpty() || refused.violations().stream().anyMatch(v -> v.path() == null
                    || !v.path().startsWith("$"))) {
                throw new AssertionError("a refusal without a JSON path: " + refused.violations());
            }
            return;
        }
        LOADED.incrementAndGet();
        var detector = new RuleDetector(playbook);
        detector.detect(new Transcript("u", Track.CUSTOMER, said, true, 0, 1, 1.0, "fuzz", Instant.now()));
        var compliance = ComplianceRules.of(playbook);
        compliance.forbiddenIn(said);
        compliance.requiredIn(said);
    }

    /** Any text, JSON-ish text, or brackets nested past any parser's depth limit. */
    private static String text(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> SeededCases.text(random, 400);
            case 1 -> SeededCases.text(random, "{}[]\":,0123456789.eE+-truefalsn \\u", 0, 400);
            case 2 -> {
                int levels = 900 + random.nextInt(4101);
                yield "[".repeat(levels) + "]".repeat(levels);
            }
            default -> {
                int levels = 900 + random.nextInt(4101);
                yield "{\"objections\":".repeat(levels) + "1" + "}".repeat(levels);
            }
        };
    }

    private static String mutation(Random random) {
        var playbook = tree(BUNDLED);
        JsonMutations.replace(playbook, oneOf(random, NODES), value(random, 3));
        return playbook.toString();
    }

    private static String utterance(Random random) {
        return chance(random, 1, 2) ? SeededCases.text(random, 300)
                : oneOf(random, "the price is too high for us this quarter", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
                        "we are already talking to Globex", "not too expensive, dont need this");
    }

    /** Random JSON up to {@code depth} levels: what a hostile document is made of. */
    private static JsonNode value(Random random, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(13); // 6 in 13 a leaf, 3 an array, 3 an object, 1 a deep array
        if (kind < 6) {
            return leaf(random);
        }
        if (kind < 9) {
            var array = NODE.arrayNode();
            for (int i = random.nextInt(7); i > 0; i--) {
                array.add(value(random, depth - 1));
            }
            return array;
        }
        if (kind < 12) {
            var object = NODE.objectNode();
            for (int i = Math.min(random.nextInt(6), random.nextInt(6)); i > 0; i--) {
                object.set(oneOf(random, KEYS), value(random, depth - 1));
            }
            return object;
        }
        var root = NODE.arrayNode();
        ArrayNode at = root;
        for (int i = 100 + random.nextInt(801); i > 0; i--) {
            at = at.addArray();
        }
        return root;
    }

    private static JsonNode leaf(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> NODE.nullNode();
            case 1 -> NODE.booleanNode(random.nextBoolean());
            case 2 -> NODE.numberNode((random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(617) - 308));
            case 3 -> NODE.numberNode(oneOf(random, 1e308, -1e308, 0.0, 1.0, 0.5, -0.0, 1e-300));
            case 4 -> NODE.numberNode(random.nextInt());
            case 5 -> NODE.numberNode(random.nextLong());
            case 6 -> NODE.textNode(SeededCases.text(random, 80));
            case 7 -> NODE.textNode(regex(random));
            default -> NODE.textNode(SeededCases.text(random, "a ", 1000, 3000));
        };
    }

    /** Text made of regular-expression syntax, with nested and counted repetition and Perl-only constructs. */
    private static String regex(Random random) {
        var regex = new StringBuilder();
        for (int i = random.nextInt(25); i > 0; i--) {
            regex.append(oneOf(random, ATOMS));
        }
        return regex.toString();
    }

    private static JsonNode tree(String json) {
        try {
            return EventJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bundled() {
        try (InputStream in = PlaybookLoaderFuzzTest.class.getClassLoader().getResourceAsStream("playbooks/default.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
