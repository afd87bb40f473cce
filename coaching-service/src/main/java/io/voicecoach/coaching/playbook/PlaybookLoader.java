package io.voicecoach.coaching.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a playbook from JSON and checks it, naming the offending field when it is unusable. */
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
            throw new InvalidPlaybookException("playbook " + source + " is not valid: " + e.getOriginalMessage()
                    + location(e), e);
        }
        var problems = problems(playbook);
        if (!problems.isEmpty()) {
            throw new InvalidPlaybookException("playbook " + source + " is not valid: " + String.join("; ", problems));
        }
        return playbook;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static List<String> problems(Playbook playbook) {
        var problems = new ArrayList<String>();
        if (playbook == null) {
            return List.of("the document is empty");
        }
        requireText(problems, "name", playbook.name());
        requireFraction(problems, "minConfidence", playbook.minConfidence());
        requireFraction(problems, "strongObjectionConfidence", playbook.strongObjectionConfidence());
        if (playbook.weights() == null) {
            problems.add("weights is missing");
        } else {
            requireFraction(problems, "weights.phrase", playbook.weights().phrase());
            requireFraction(problems, "weights.pattern", playbook.weights().pattern());
            requireFraction(problems, "weights.keyword", playbook.weights().keyword());
        }
        if (playbook.negationWindow() < 0) {
            problems.add("negationWindow must not be negative");
        }
        if (playbook.objections().isEmpty()) {
            problems.add("objections is missing or empty");
        }
        var categories = new HashSet<String>();
        for (int i = 0; i < playbook.objections().size(); i++) {
            var rule = playbook.objections().get(i);
            String path = "objections[" + i + "]";
            if (rule == null) {
                problems.add(path + " is null");
                continue;
            }
            if (requireText(problems, path + ".category", rule.category()) && !categories.add(rule.category())) {
                problems.add(path + ".category " + rule.category() + " appears twice");
            }
            checkRule(problems, path + " (" + rule.category() + ")", rule);
        }
        if (playbook.buyingSignals() == null) {
            problems.add("buyingSignals is missing");
        } else {
            checkRule(problems, "buyingSignals", playbook.buyingSignals());
        }
        playbook.neutralExamples().forEach(e -> requireText(problems, "neutralExamples[]", e));
        var competitors = playbook.competitors();
        if (competitors != null) {
            requireFraction(problems, "competitors.weight", competitors.weight());
            if (requireText(problems, "competitors.category", competitors.category())
                    && !categories.contains(competitors.category())) {
                problems.add("competitors.category " + competitors.category() + " is not one of the objections");
            }
            competitors.names().forEach(n -> requireText(problems, "competitors.names[]", n));
        }
        return problems;
    }

    private static void checkRule(List<String> problems, String path, Playbook.Rule rule) {
        if (rule.phrases().isEmpty() && rule.patterns().isEmpty() && rule.keywords().isEmpty()) {
            problems.add(path + " has no phrases, patterns or keywords");
        }
        rule.phrases().forEach(p -> requireText(problems, path + ".phrases[]", p));
        rule.keywords().forEach(p -> requireText(problems, path + ".keywords[]", p));
        rule.negativePhrases().forEach(p -> requireText(problems, path + ".negativePhrases[]", p));
        rule.examples().forEach(p -> requireText(problems, path + ".examples[]", p));
        rule.patterns().forEach(p -> requireRegex(problems, path + ".patterns", p));
        rule.negativePatterns().forEach(p -> requireRegex(problems, path + ".negativePatterns", p));
        if (rule.answer() == null) {
            problems.add(path + ".answer is missing");
        } else {
            requireText(problems, path + ".answer.title", rule.answer().title());
            requireText(problems, path + ".answer.message", rule.answer().message());
        }
    }

    private static boolean requireText(List<String> problems, String path, String value) {
        if (value == null || value.isBlank()) {
            problems.add(path + " is missing or blank");
            return false;
        }
        return true;
    }

    private static void requireFraction(List<String> problems, String path, double value) {
        if (!(value > 0 && value <= 1)) {
            problems.add(path + " must be in (0, 1], was " + value);
        }
    }

    private static void requireRegex(List<String> problems, String path, String regex) {
        if (regex == null || regex.isBlank()) {
            problems.add(path + "[] is missing or blank");
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            problems.add(path + " entry " + regex + " is not a regular expression: " + e.getDescription());
        }
    }

    private PlaybookLoader() {
    }
}
