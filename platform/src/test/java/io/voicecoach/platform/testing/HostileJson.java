package io.voicecoach.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static io.voicecoach.platform.testing.SeededCases.chance;
import static io.voicecoach.platform.testing.SeededCases.oneOf;

/**
 * Random JSON of the kinds a hostile client puts in a frame (for the fuzz tests): wrong types, numbers beyond any
 * range, long and deep arrays, text of any script, the protocol's own words where they do not belong, nulls.
 * Objects have at most 5 fields, arrays at most 4 elements (or up to 600 leaves), nesting below 1,000 levels.
 */
public final class HostileJson {

    private static final JsonNodeFactory NODE = JsonNodeFactory.instance;
    private final List<String> keys;
    private final List<String> words;

    /**
     * @param keys  the field names objects are made of
     * @param words the protocol's own words (types, enum values), put where they do not belong
     */
    public HostileJson(List<String> keys, List<String> words) {
        this.keys = List.copyOf(keys);
        this.words = List.copyOf(words);
    }

    /** Random JSON up to {@code depth} levels: wrong types, huge numbers, deep arrays, odd text, nulls. */
    public JsonNode value(Random random, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(13);
        if (kind < 7) {
            return leaf(random);
        }
        if (kind < 9) {
            var array = NODE.arrayNode();
            if (chance(random, 1, 10)) { // a long array of leaves
                for (int i = random.nextInt(600); i > 0; i--) {
                    array.add(leaf(random));
                }
                return array;
            }
            for (int i = random.nextInt(5); i > 0; i--) {
                array.add(value(random, depth - 1));
            }
            return array;
        }
        if (kind < 12) {
            var object = NODE.objectNode();
            for (int i = random.nextInt(6); i > 0; i--) {
                object.set(oneOf(random, keys), value(random, depth - 1));
            }
            return object;
        }
        var root = NODE.arrayNode();
        ArrayNode at = root;
        for (int i = 100 + random.nextInt(880); i > 0; i--) { // JsonNode.toString writes at most 1000 levels
            at = at.addArray();
        }
        return root;
    }

    /** {@code valid} with one node removed or replaced by hostile JSON, or an object of it given a hostile field. */
    public JsonNode mutated(Random random, JsonNode valid) {
        var copy = valid.deepCopy();
        var pointer = oneOf(random, JsonMutations.pointers(copy));
        switch (random.nextInt(5)) {
            case 0 -> JsonMutations.remove(copy, pointer);
            case 1 -> {
                var target = chance(random, 1, 2) ? copy : copy.at(pointer);
                if (target instanceof ObjectNode object) {
                    object.set(oneOf(random, keys), value(random, 2));
                } else {
                    JsonMutations.replace(copy, pointer, leaf(random));
                }
            }
            default -> JsonMutations.replace(copy, pointer, value(random, 3));
        }
        return copy;
    }

    /** A number, string, boolean or null. */
    public JsonNode leaf(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> NODE.nullNode();
            case 1 -> NODE.booleanNode(random.nextBoolean());
            case 2 -> NODE.numberNode(oneOf(random, 1e308, -1e308, 0.0, -0.0, 0.5, 1e-300, Double.MIN_VALUE));
            case 3 -> NODE.numberNode(oneOf(random, 0, -1, 1, 2, 17, 8000, 24000, Integer.MAX_VALUE, Integer.MIN_VALUE));
            case 4 -> NODE.numberNode(random.nextLong());
            case 5 -> NODE.numberNode(new BigInteger(random.nextInt(1200) + 1, random));
            case 6 -> NODE.numberNode(new BigDecimal(new BigInteger(random.nextInt(300) + 1, random),
                    random.nextInt(2000) - 1000));
            case 7 -> NODE.textNode(SeededCases.text(random, 80));
            case 8 -> NODE.textNode(chance(random, 1, 2) ? oneOf(random, words) : oneOf(random, "", " ", "\u0000",
                    "\ud800", "\ud83d\ude00", "1e999", "null", "true", "-1", "{}", "AAAA", "===="));
            case 9 -> NODE.textNode("x".repeat(oneOf(random, 64, 65, 200, 201, 512, 513, 16_000, 16_001, 70_000)));
            case 10 -> NODE.textNode(SeededCases.text(random, "a ", 1000, 20_000));
            default -> NODE.numberNode(random.nextInt(100_000) - 50_000);
        };
    }
}
