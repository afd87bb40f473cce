package io.voicecoach.coaching.stage;

import io.voicecoach.coaching.detect.NormalizedText;
import com.google.re2j.Pattern;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.coaching.playbook.TenantRegex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The playbook's must-say and must-not-say phrases, compiled: phrases match whole words of the normalised
 * utterance ({@link NormalizedText}), patterns are regular expressions over it (RE2/J, linear time).
 */
public final class ComplianceRules {

    private record Compiled(String id, List<List<String>> phrases, List<Pattern> patterns, String message,
                            long withinMs) {
        boolean matches(NormalizedText utterance) {
            return phrases.stream().anyMatch(p -> !utterance.find(p).isEmpty())
                    || patterns.stream().anyMatch(p -> p.matcher(utterance.text()).find());
        }
    }

    /** A rule and what to tell the rep. */
    public record Rule(String id, String message, long withinMs) {
    }

    private final List<Compiled> mustSay;
    private final List<Compiled> mustNotSay;

    private ComplianceRules(List<Compiled> mustSay, List<Compiled> mustNotSay) {
        this.mustSay = mustSay;
        this.mustNotSay = mustNotSay;
    }

    public static ComplianceRules of(Playbook playbook) {
        var compliance = playbook.compliance();
        var mustSay = new ArrayList<Compiled>();
        for (var rule : compliance.mustSay()) {
            mustSay.add(new Compiled(rule.id(), words(rule.phrases()), List.of(), rule.message(),
                    rule.withinSeconds() * 1000L));
        }
        var mustNotSay = new ArrayList<Compiled>();
        for (var rule : compliance.mustNotSay()) {
            mustNotSay.add(new Compiled(rule.id(), words(rule.phrases()),
                    rule.patterns().stream().map(TenantRegex::compile).toList(), rule.message(), 0));
        }
        return new ComplianceRules(List.copyOf(mustSay), List.copyOf(mustNotSay));
    }

    /** The first must-not-say rule the utterance breaks. */
    public Optional<Rule> forbiddenIn(String text) {
        var utterance = NormalizedText.of(text);
        return mustNotSay.stream().filter(c -> c.matches(utterance)).findFirst().map(ComplianceRules::rule);
    }

    /** Ids of the must-say rules the utterance satisfies. */
    public List<String> requiredIn(String text) {
        var utterance = NormalizedText.of(text);
        return mustSay.stream().filter(c -> c.matches(utterance)).map(Compiled::id).toList();
    }

    public List<Rule> mustSay() {
        return mustSay.stream().map(ComplianceRules::rule).toList();
    }

    public List<Rule> mustNotSay() {
        return mustNotSay.stream().map(ComplianceRules::rule).toList();
    }

    private static Rule rule(Compiled compiled) {
        return new Rule(compiled.id(), compiled.message(), compiled.withinMs());
    }

    private static List<List<String>> words(List<String> phrases) {
        return phrases.stream().map(p -> List.of(NormalizedText.normalise(p).split(" "))).toList();
    }
}
