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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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

    /** @param source names the playbook in error messages */
    public static Playbook parse(String source, String json) {
        Playbook playbook;
        try {
            playbook = MAPPER.readValue(json, Playbook.class);
        } catch (JsonProcessingException e) {
            var violation = new Violation(pathOf(e), e.getOriginalMessage() + location(e));
            throw new InvalidPlaybookException("playbook " + source + " is not valid: " + violation, List.of(violation), e);
        }
        var problems = problems(playbook);
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

    private static List<Violation> problems(Playbook playbook) {
        var problems = new Problems();
        if (playbook == null) {
            problems.add("$", "the document is empty");
            return problems.list;
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
        }
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
        problems.texts("$.neutralExamples", playbook.neutralExamples());
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
        for (int i = 0; i < playbook.battleCards().size(); i++) {
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
        return problems.list;
    }

    private static void checkMethodologies(Problems problems, Playbook playbook) {
        var names = new HashSet<String>();
        for (int i = 0; i < playbook.methodologies().size(); i++) {
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
            for (int s = 0; s < methodology.stages().size(); s++) {
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
                problems.texts(stagePath + ".questions", stage.questions());
                problems.texts(stagePath + ".cues", stage.cues());
            }
        }
        if (playbook.methodology() != null && playbook.activeMethodology().isEmpty()) {
            problems.add("$.methodology", playbook.methodology() + " is not one of the methodologies");
        }
    }

    private static void checkCompliance(Problems problems, Playbook.Compliance compliance) {
        var ids = new HashSet<String>();
        for (int i = 0; i < compliance.mustSay().size(); i++) {
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
        for (int i = 0; i < compliance.mustNotSay().size(); i++) {
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
        problems.texts(path + ".examples", rule.examples());
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
        final List<Violation> list = new ArrayList<>();

        void add(String path, String message) {
            list.add(new Violation(path, message));
        }

        boolean text(String path, String value) {
            if (value == null || value.isBlank()) {
                add(path, "is missing or blank");
                return false;
            }
            return true;
        }

        void texts(String path, List<String> values) {
            for (int i = 0; i < values.size(); i++) {
                text(path + "[" + i + "]", values.get(i));
            }
        }

        void fraction(String path, double value) {
            if (!(value > 0 && value <= 1)) {
                add(path, "must be in (0, 1], was " + value);
            }
        }

        void regexes(String path, List<String> regexes) {
            for (int i = 0; i < regexes.size(); i++) {
                String regex = regexes.get(i);
                if (text(path + "[" + i + "]", regex)) {
                    try {
                        Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        add(path + "[" + i + "]", regex + " is not a regular expression: " + e.getDescription());
                    }
                }
            }
        }
    }

    private PlaybookLoader() {
    }
}
