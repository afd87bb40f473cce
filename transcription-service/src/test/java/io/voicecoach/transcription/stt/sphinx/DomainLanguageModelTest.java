package io.voicecoach.transcription.stt.sphinx;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DomainLanguageModelTest {

    private static final Set<String> DICTIONARY = Set.of("what", "is", "the", "price", "oracle", "too", "high");

    @Test
    void writesATrigramArpaModelOfTheKnownWords() {
        var model = DomainLanguageModel.build(List.of("What is the price?", "the price is too high"), List.of(), 1, DICTIONARY);

        String arpa = model.toArpa();
        assertThat(arpa).startsWith("\\data\\\nngram 1=8\n").contains("\\1-grams:", "\\2-grams:", "\\3-grams:").endsWith("\\end\\\n");
        assertThat(arpa).contains(" <s> what ").contains(" what is the\n").contains(" too high </s>\n");
        assertThat(model.vocabulary()).contains("<s>", "</s>", "price", "high").doesNotContain("oracle");
    }

    @Test
    void phrasesAddTheirWordsAndUnknownWordsAreReportedNotModelled() {
        var model = DomainLanguageModel.build(List.of("what is the price"), List.of("Oracle", "Zyxwv price"), 5, DICTIONARY);

        assertThat(model.vocabulary()).contains("oracle");
        assertThat(model.skippedWords()).containsExactly("zyxwv");
        assertThat(model.toArpa()).doesNotContain("zyxwv");
    }

    @Test
    void boostedPhrasesAreMoreLikely() {
        var plain = DomainLanguageModel.build(List.of("what is the price", "what is too high"), List.of("oracle"), 1, DICTIONARY);
        var boosted = DomainLanguageModel.build(List.of("what is the price", "what is too high"), List.of("oracle"), 10, DICTIONARY);

        assertThat(unigram(boosted.toArpa(), "oracle")).isGreaterThan(unigram(plain.toArpa(), "oracle"));
    }

    private static double unigram(String arpa, String word) {
        return arpa.lines().dropWhile(l -> !l.equals("\\1-grams:")).filter(l -> l.split(" ").length >= 2 && l.split(" ")[1].equals(word))
                .mapToDouble(l -> Double.parseDouble(l.split(" ")[0])).findFirst().orElseThrow();
    }
}
