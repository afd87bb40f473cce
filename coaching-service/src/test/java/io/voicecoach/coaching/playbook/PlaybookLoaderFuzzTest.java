package io.voicecoach.coaching.playbook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.coaching.detect.RuleDetector;
import io.voicecoach.coaching.stage.ComplianceRules;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fuzzes the playbook loader, the way a hostile tenant would call {@code PUT /api/v1/playbook}: random text, random
 * JSON, and the bundled playbook with one node replaced by random JSON (a string of regex syntax, a huge number, a
 * deep array, null...). The only allowed outcomes are a playbook or {@link InvalidPlaybookException} (the documented
 * 400); a playbook that loads must also build its detector and compliance rules and run them over a random utterance.
 * Anything else thrown is a crash. The number of inputs tried is printed at the end.
 */
class PlaybookLoaderFuzzTest {
    // inputs tried over all properties; "loaded" counts playbooks that loaded and patterns that compiled

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger LOADED = new AtomicInteger();
    private static final String BUNDLED = bundled();
    private static final List<JsonPointer> NODES = pointers(tree(BUNDLED));

    @Property(tries = 1000)
    void randomTextIsAPlaybookOrADocumentedRefusal(@ForAll("text") String body) {
        load(body, "hello");
    }

    @Property(tries = 600)
    void randomJsonIsAPlaybookOrADocumentedRefusal(@ForAll("json") String body) {
        load(body, "hello");
    }

    @Property(tries = 600)
    void theBundledPlaybookWithOneNodeReplacedIsAPlaybookOrADocumentedRefusal(@ForAll("mutations") String body,
                                                                               @ForAll("utterances") String said) {
        load(body, said);
    }

    @Property(tries = 1000)
    void aRandomPatternIsRefusedWithAReasonOrRunsOverAnyText(@ForAll("patterns") String regex,
                                                            @ForAll("utterances") String text) {
        TRIED.incrementAndGet();
        var problem = TenantRegex.problem(regex, PlaybookLimits.DEFAULT.maxPatternSize());
        if (problem.isEmpty()) {
            LOADED.incrementAndGet();
            TenantRegex.compile(regex).matcher(text).find();
        } else if (problem.get().isBlank()) {
            throw new AssertionError("a refusal without a reason for " + regex);
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        return regexes();
    }

    @AfterContainer
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

    @Provide
    Arbitrary<String> text() {
        var nested = Arbitraries.integers().between(900, 5000).map(levels -> "[".repeat(levels) + "]".repeat(levels));
        var nestedObjects = Arbitraries.integers().between(900, 5000)
                .map(levels -> "{\"objections\":".repeat(levels) + "1" + "}".repeat(levels));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(400),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-truefalsn \\u").ofMaxLength(400),
                nested, nestedObjects);
    }

    @Provide
    Arbitrary<String> json() {
        return value(4).map(JsonNode::toString);
    }

    @Provide
    Arbitrary<String> mutations() {
        var where = Arbitraries.integers().between(0, NODES.size() - 1);
        return Combinators.combine(where, value(3)).as((index, replacement) -> {
            var playbook = tree(BUNDLED);
            replace(playbook, NODES.get(index), replacement);
            return playbook.toString();
        });
    }

    @Provide
    Arbitrary<String> utterances() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.of("the price is too high for us this quarter", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
                        "we are already talking to Globex", "not too expensive, dont need this"));
    }

    /** Random JSON up to {@code depth} levels: what a hostile document is made of. */
    private static Arbitrary<JsonNode> value(int depth) {
        var factory = EventJson.MAPPER.getNodeFactory();
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.just(factory.nullNode()),
                Arbitraries.of(true, false).map(factory::booleanNode),
                Arbitraries.doubles().map(factory::numberNode),
                Arbitraries.of(1e308, -1e308, 0.0, 1.0, 0.5, -0.0, 1e-300).map(factory::numberNode),
                Arbitraries.integers().map(factory::numberNode),
                Arbitraries.longs().map(factory::numberNode),
                Arbitraries.strings().ofMaxLength(80).map(factory::textNode),
                regexes().map(factory::textNode),
                Arbitraries.strings().withChars("a ").ofMinLength(1000).ofMaxLength(3000).map(factory::textNode));
        if (depth == 0) {
            return leaf;
        }
        var inner = value(depth - 1);
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(6).map(items -> {
            var node = factory.arrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Combinators.combine(
                Arbitraries.of("name", "objections", "patterns", "phrases", "examples", "answer", "title", "category",
                        "weights", "phrase", "x", "").list().ofMaxSize(5),
                inner.list().ofMaxSize(5)).as((keys, values) -> {
                    var node = factory.objectNode();
                    for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
                        node.set(keys.get(i), values.get(i));
                    }
                    return node;
                });
        Arbitrary<JsonNode> deep = Arbitraries.integers().between(100, 900).map(levels -> {
            var root = factory.arrayNode();
            ArrayNode at = root;
            for (int i = 0; i < levels; i++) {
                at = at.addArray();
            }
            return root;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf), net.jqwik.api.Tuple.of(3, array), net.jqwik.api.Tuple.of(3, object),
                net.jqwik.api.Tuple.of(1, deep));
    }

    /** Text made of regular-expression syntax, with nested and counted repetition and Perl-only constructs. */
    static Arbitrary<String> regexes() {
        var atoms = Arbitraries.of("a", "b", ".", "\\w", "\\b", "\\d", "\\s", "[a-z]", "[^x]", "(", ")", "(?:", "(?=",
                "(?<name>", "\\1", "|", "*", "+", "?", "{2}", "{1000}", "{2,5}", "{,3}", "{99999999999}", "$", "^",
                "\\Q", "\\E", "\\p{L}", "\\p{", "[[:alpha:]]", "[", "]", "\\", "(?i)", "{", "}");
        return atoms.list().ofMaxSize(24).map(parts -> String.join("", parts));
    }

    private static void replace(JsonNode root, JsonPointer pointer, JsonNode replacement) {
        var parent = root.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, replacement);
        } else if (parent instanceof ArrayNode array) {
            array.set(pointer.last().getMatchingIndex(), replacement);
        }
    }

    private static List<JsonPointer> pointers(JsonNode root) {
        var all = new ArrayList<JsonPointer>();
        collect(root, JsonPointer.empty(), all);
        return all;
    }

    private static void collect(JsonNode node, JsonPointer at, List<JsonPointer> all) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                var child = at.appendProperty(field.getKey());
                all.add(child);
                collect(field.getValue(), child, all);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var child = at.appendIndex(i);
                all.add(child);
                collect(node.get(i), child, all);
            }
        }
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
