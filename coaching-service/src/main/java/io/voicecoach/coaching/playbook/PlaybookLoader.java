package io.voicecoach.coaching.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.voicecoach.coaching.playbook.InvalidPlaybookException.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a playbook from JSON and checks it, naming the JSON path of every offending field. */
public final class PlaybookLoader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static Playbook fromResource(String resource) {
        var loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidPlaybookException("playbook resource " + resource + " not found on the classpath");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidPlaybookException("cannot read playbook resource " + resource, e);
        }
    }

    /** A playbook the operator ships or this service stored: only what the detector needs is checked, no size limits. */
    public static Playbook parse(String source, String json) {
        return parse(source, json, PlaybookLimits.TRUSTED);
    }

    /**
     * @param source names the playbook in error messages
     * @param limits what a tenant may store; every list, string and pattern beyond them is a violation
     */
    public static Playbook parse(String source, String json, PlaybookLimits limits) {
        if (json.length() > limits.maxChars()) {
            var violation = new Violation("$", "has " + json.length() + " characters, more than the " + limits.maxChars()
                    + " allowed");
            throw new InvalidPlaybookException("playbook " + source + " is not valid: " + violation, List.of(violation),
                    null);
        }
        Playbook playbook;
        try {
            playbook = MAPPER.readValue(json, Playbook.class);
        } catch (JsonProcessingException e) {
            var violation = new Violation(pathOf(e), e.getOriginalMessage() + location(e));
            throw new InvalidPlaybookException("playbook " + source + " is not valid: " + violation, List.of(violation), e);
        }
        var problems = problems(playbook, limits);
        if (!problems.isEmpty()) {
            throw new InvalidPlaybookException("playbook " + source + " is not valid: "
                    + String.join("; ", problems.stream().map(Violation::toString).toList()), problems, null);
        }
        return playbook;
    }

    /** The playbook as the JSON document it was read from (canonical form). */
    public static String toJson(Playbook playbook) {
        try {
            return MAPPER.writeValueAsString(playbook);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write playbook " + playbook.name(), e);
        }
    }

    private static String pathOf(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "$";
        }
        var path = new StringBuilder("$");
        for (var ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static List<Violation> problems(Playbook playbook, PlaybookLimits limits) {
        var problems = new Problems(limits);
        if (playbook == null) {
            problems.add("$", "the document is empty");
            return problems.list();
        }
        problems.text("$.name", playbook.name());
        problems.fraction("$.minConfidence", playbook.minConfidence());
        problems.fraction("$.strongObjectionConfidence", playbook.strongObjectionConfidence());
        if (playbook.weights() == null) {
            problems.add("$.weights", "is missing");
        } else {
            problems.fraction("$.weights.phrase", playbook.weights().phrase());
            problems.fraction("$.weights.pattern", playbook.weights().pattern());
            problems.fraction("$.weights.keyword", playbook.weights().keyword());
        }
        if (playbook.negationWindow() < 0) {
            problems.add("$.negationWindow", "must not be negative");
        }
        if (playbook.objections().isEmpty()) {
            problems.add("$.objections", "is missing or empty");
        } else if (playbook.objections().size() > limits.maxRules()) {
            problems.add("$.objections", "has " + playbook.objections().size() + " categories, more than the "
                    + limits.maxRules() + " allowed");
            return problems.list();
        }
        problems.texts("$.negators", playbook.negators());
        var categories = new HashSet<String>();
        for (int i = 0; i < playbook.objections().size(); i++) {
            var rule = playbook.objections().get(i);
            String path = "$.objections[" + i + "]";
            if (rule == null) {
                problems.add(path, "is null");
                continue;
            }
            if (problems.text(path + ".category", rule.category()) && !categories.add(rule.category())) {
                problems.add(path + ".category", rule.category() + " appears twice");
            }
            checkRule(problems, path, rule);
        }
        if (playbook.buyingSignals() == null) {
            problems.add("$.buyingSignals", "is missing");
        } else {
            checkRule(problems, "$.buyingSignals", playbook.buyingSignals());
        }
        problems.examples("$.neutralExamples", playbook.neutralExamples());
        var competitors = playbook.competitors();
        if (competitors != null) {
            problems.fraction("$.competitors.weight", competitors.weight());
            if (problems.text("$.competitors.category", competitors.category())
                    && !categories.contains(competitors.category())) {
                problems.add("$.competitors.category", competitors.category() + " is not one of the objections");
            }
            problems.texts("$.competitors.names", competitors.names());
        }
        checkMethodologies(problems, playbook);
        checkCompliance(problems, playbook.compliance());
        int cards = problems.items("$.battleCards", playbook.battleCards()) ? playbook.battleCards().size() : 0;
        for (int i = 0; i < cards; i++) {
            var card = playbook.battleCards().get(i);
            String path = "$.battleCards[" + i + "]";
            if (card == null) {
                problems.add(path, "is null");
                continue;
            }
            problems.text(path + ".competitor", card.competitor());
            problems.text(path + ".title", card.title());
            problems.texts(path + ".points", card.points());
        }
        if (problems.sentences > limits.maxSentences()) {
            problems.add("$", "has " + problems.sentences + " example sentences and stage questions, more than the "
                    + limits.maxSentences() + " allowed");
        }
        if (problems.patternSize > limits.maxPatternSizeTotal()) {
            problems.add("$", "its patterns expand to about " + problems.patternSize + " instructions together, more "
                    + "than the " + limits.maxPatternSizeTotal() + " allowed");
        }
        return problems.list();
    }

    private static void checkMethodologies(Problems problems, Playbook playbook) {
        var names = new HashSet<String>();
        int count = problems.items("$.methodologies", playbook.methodologies()) ? playbook.methodologies().size() : 0;
        for (int i = 0; i < count; i++) {
            var methodology = playbook.methodologies().get(i);
            String path = "$.methodologies[" + i + "]";
            if (methodology == null) {
                problems.add(path, "is null");
                continue;
            }
            if (problems.text(path + ".name", methodology.name()) && !names.add(methodology.name().toLowerCase())) {
                problems.add(path + ".name", methodology.name() + " appears twice");
            }
            if (methodology.stages().isEmpty()) {
                problems.add(path + ".stages", "is missing or empty");
            }
            Set<String> stages = new HashSet<>();
            int stageCount = problems.items(path + ".stages", methodology.stages()) ? methodology.stages().size() : 0;
            for (int s = 0; s < stageCount; s++) {
                var stage = methodology.stages().get(s);
                String stagePath = path + ".stages[" + s + "]";
                if (stage == null) {
                    problems.add(stagePath, "is null");
                    continue;
                }
                if (problems.text(stagePath + ".name", stage.name()) && !stages.add(stage.name())) {
                    problems.add(stagePath + ".name", stage.name() + " appears twice");
                }
                if (stage.questions().isEmpty()) {
                    problems.add(stagePath + ".questions", "is missing or empty");
                }
                problems.examples(stagePath + ".questions", stage.questions());
                problems.texts(stagePath + ".cues", stage.cues());
            }
        }
        if (playbook.methodology() != null && playbook.activeMethodology().isEmpty()) {
            problems.add("$.methodology", playbook.methodology() + " is not one of the methodologies");
        }
    }

    private static void checkCompliance(Problems problems, Playbook.Compliance compliance) {
        var ids = new HashSet<String>();
        int mustSay = problems.items("$.compliance.mustSay", compliance.mustSay()) ? compliance.mustSay().size() : 0;
        for (int i = 0; i < mustSay; i++) {
            var rule = compliance.mustSay().get(i);
            String path = "$.compliance.mustSay[" + i + "]";
            if (rule == null) {
                problems.add(path, "is null");
                continue;
            }
            if (problems.text(path + ".id", rule.id()) && !ids.add(rule.id())) {
                problems.add(path + ".id", rule.id() + " appears twice");
            }
            if (rule.phrases().isEmpty()) {
                problems.add(path + ".phrases", "is missing or empty");
            }
            problems.texts(path + ".phrases", rule.phrases());
            if (rule.withinSeconds() <= 0) {
                problems.add(path + ".withinSeconds", "must be positive, was " + rule.withinSeconds());
            }
            problems.text(path + ".message", rule.message());
        }
        int mustNotSay = problems.items("$.compliance.mustNotSay", compliance.mustNotSay())
                ? compliance.mustNotSay().size() : 0;
        for (int i = 0; i < mustNotSay; i++) {
            var rule = compliance.mustNotSay().get(i);
            String path = "$.compliance.mustNotSay[" + i + "]";
            if (rule == null) {
                problems.add(path, "is null");
                continue;
            }
            if (problems.text(path + ".id", rule.id()) && !ids.add(rule.id())) {
                problems.add(path + ".id", rule.id() + " appears twice");
            }
            if (rule.phrases().isEmpty() && rule.patterns().isEmpty()) {
                problems.add(path, "has no phrases or patterns");
            }
            problems.texts(path + ".phrases", rule.phrases());
            problems.regexes(path + ".patterns", rule.patterns());
            problems.text(path + ".message", rule.message());
        }
    }

    private static void checkRule(Problems problems, String path, Playbook.Rule rule) {
        if (rule.phrases().isEmpty() && rule.patterns().isEmpty() && rule.keywords().isEmpty()) {
            problems.add(path, "has no phrases, patterns or keywords");
        }
        problems.texts(path + ".phrases", rule.phrases());
        problems.texts(path + ".keywords", rule.keywords());
        problems.texts(path + ".negativePhrases", rule.negativePhrases());
        problems.examples(path + ".examples", rule.examples());
        problems.regexes(path + ".patterns", rule.patterns());
        problems.regexes(path + ".negativePatterns", rule.negativePatterns());
        if (rule.answer() == null) {
            problems.add(path + ".answer", "is missing");
        } else {
            problems.text(path + ".answer.title", rule.answer().title());
            problems.text(path + ".answer.message", rule.answer().message());
        }
    }

    private static final class Problems {
        /** More are counted, not listed: a hostile document must not get a huge answer. */
        static final int MAX_LISTED = 100;

        final PlaybookLimits limits;
        final List<Violation> list = new ArrayList<>();
        int unlisted;
        long sentences;
        long patternSize;

        Problems(PlaybookLimits limits) {
            this.limits = limits;
        }

        List<Violation> list() {
            if (unlisted > 0) {
                var all = new ArrayList<>(list);
                all.add(new Violation("$", "and " + unlisted + " more violations"));
                return all;
            }
            return list;
        }

        void add(String path, String message) {
            if (list.size() < MAX_LISTED) {
                list.add(new Violation(path, message));
            } else {
                unlisted++;
            }
        }

        boolean text(String path, String value) {
            return text(path, value, limits.maxTextChars());
        }

        boolean text(String path, String value, int maxChars) {
            if (value == null || value.isBlank()) {
                add(path, "is missing or blank");
                return false;
            }
            if (value.length() > maxChars) {
                add(path, "has " + value.length() + " characters, more than the " + maxChars + " allowed");
                return false;
            }
            return true;
        }

        /** Whether the list is within {@code maxItems}; a longer one is one violation, its entries are not checked. */
        boolean items(String path, List<?> values) {
            return within(path, values, limits.maxItems());
        }

        boolean within(String path, List<?> values, int max) {
            if (values.size() > max) {
                add(path, "has " + values.size() + " entries, more than the " + max + " allowed");
                return false;
            }
            return true;
        }

        void texts(String path, List<String> values) {
            if (items(path, values)) {
                for (int i = 0; i < values.size(); i++) {
                    text(path + "[" + i + "]", values.get(i));
                }
            }
        }

        /** Sentences the embedding model reads: fewer and shorter than other lists, and counted together. */
        void examples(String path, List<String> values) {
            sentences += values.size();
            if (within(path, values, limits.maxExamplesPerRule())) {
                for (int i = 0; i < values.size(); i++) {
                    text(path + "[" + i + "]", values.get(i), limits.maxExampleChars());
                }
            }
        }

        void fraction(String path, double value) {
            if (!(value > 0 && value <= 1)) {
                add(path, "must be in (0, 1], was " + value);
            }
        }

        void regexes(String path, List<String> regexes) {
            if (!items(path, regexes)) {
                return;
            }
            for (int i = 0; i < regexes.size(); i++) {
                String regex = regexes.get(i);
                String at = path + "[" + i + "]";
                if (text(at, regex, limits.maxPatternChars())) {
                    patternSize += TenantRegex.size(regex);
                    TenantRegex.problem(regex, limits.maxPatternSize()).ifPresent(problem -> add(at, regex + " " + problem));
                }
            }
        }
    }

    private PlaybookLoader() {
    }
}
