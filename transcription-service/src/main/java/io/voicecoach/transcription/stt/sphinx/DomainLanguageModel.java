package io.voicecoach.transcription.stt.sphinx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A small trigram language model in ARPA format, built from domain sentences (sales-call phrases plus the
 * tenant's or session's phrase list). Absolute discounting with back-off; words the pronunciation dictionary
 * does not know are left out, since the decoder could never produce them.
 */
public final class DomainLanguageModel {

    private static final double DISCOUNT = 0.5;
    private static final Pattern NOT_WORD = Pattern.compile("[^a-z' ]+");
    private static final String BOS = "<s>";
    private static final String EOS = "</s>";

    private final Map<String, Integer> unigrams = new TreeMap<>();
    private final Map<String, Map<String, Integer>> bigrams = new TreeMap<>();
    private final Map<String, Map<String, Integer>> trigrams = new TreeMap<>();
    private final Set<String> skipped = new TreeSet<>();

    private DomainLanguageModel() {
    }

    /**
     * @param sentences  training text; each phrase is one sentence
     * @param boostedPhrases phrases counted {@code boost} times, so the decoder prefers them
     * @param knownWords the pronunciation dictionary's words
     */
    public static DomainLanguageModel build(Collection<String> sentences, Collection<String> boostedPhrases, int boost,
                                            Set<String> knownWords) {
        var model = new DomainLanguageModel();
        sentences.forEach(s -> model.add(s, 1, knownWords));
        boostedPhrases.forEach(s -> model.add(s, Math.max(1, boost), knownWords));
        return model;
    }

    public static List<String> words(String sentence) {
        var clean = NOT_WORD.matcher(sentence.toLowerCase(Locale.ROOT).replace('-', ' ')).replaceAll(" ").trim();
        var words = new ArrayList<String>();
        for (String w : clean.split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    private void add(String sentence, int times, Set<String> knownWords) {
        var tokens = new ArrayList<String>();
        tokens.add(BOS);
        for (String w : words(sentence)) {
            if (knownWords.contains(w)) {
                tokens.add(w);
            } else {
                skipped.add(w);
            }
        }
        if (tokens.size() == 1) {
            return;
        }
        tokens.add(EOS);
        for (int i = 0; i < tokens.size(); i++) {
            unigrams.merge(tokens.get(i), times, Integer::sum);
            if (i >= 1) {
                bigrams.computeIfAbsent(tokens.get(i - 1), k -> new TreeMap<>()).merge(tokens.get(i), times, Integer::sum);
            }
            if (i >= 2) {
                trigrams.computeIfAbsent(tokens.get(i - 2) + " " + tokens.get(i - 1), k -> new TreeMap<>())
                        .merge(tokens.get(i), times, Integer::sum);
            }
        }
    }

    public Set<String> vocabulary() {
        return unigrams.keySet();
    }

    /** Words of the training text the dictionary lacks (left out of the model). */
    public Set<String> skippedWords() {
        return skipped;
    }

    public String toArpa() {
        int total = unigrams.entrySet().stream().filter(e -> !e.getKey().equals(BOS)).mapToInt(Map.Entry::getValue).sum();
        int vocab = unigrams.size();
        Map<String, Double> p1 = new HashMap<>();
        unigrams.forEach((w, c) -> p1.put(w, (c + 1.0) / (total + vocab)));

        Map<String, Double> bow1 = new HashMap<>();
        bigrams.forEach((h, next) -> bow1.put(h, backoff(next, w -> p1.get(w))));
        Map<String, Double> bow2 = new HashMap<>();
        trigrams.forEach((h, next) -> {
            String h2 = h.substring(h.indexOf(' ') + 1);
            bow2.put(h, backoff(next, w -> bigramProb(h2, w, p1, bow1)));
        });

        int trigramCount = trigrams.values().stream().mapToInt(Map::size).sum();
        int bigramCount = bigrams.values().stream().mapToInt(Map::size).sum();
        var arpa = new StringBuilder("\\data\\\n")
                .append("ngram 1=").append(vocab).append('\n')
                .append("ngram 2=").append(bigramCount).append('\n')
                .append("ngram 3=").append(trigramCount).append("\n\n\\1-grams:\n");
        unigrams.keySet().forEach(w -> arpa.append(w.equals(BOS) ? "-99.0000" : log(p1.get(w))).append(' ').append(w)
                .append(bigrams.containsKey(w) ? " " + log(bow1.get(w)) : "").append('\n'));
        arpa.append("\n\\2-grams:\n");
        bigrams.forEach((h, next) -> next.forEach((w, c) -> {
            String key = h + " " + w;
            arpa.append(log((c - DISCOUNT) / sum(next))).append(' ').append(key)
                    .append(trigrams.containsKey(key) ? " " + log(bow2.get(key)) : "").append('\n');
        }));
        arpa.append("\n\\3-grams:\n");
        trigrams.forEach((h, next) -> next.forEach((w, c) ->
                arpa.append(log((c - DISCOUNT) / sum(next))).append(' ').append(h).append(' ').append(w).append('\n')));
        return arpa.append("\n\\end\\\n").toString();
    }

    private double bigramProb(String h, String w, Map<String, Double> p1, Map<String, Double> bow1) {
        var next = bigrams.get(h);
        if (next != null && next.containsKey(w)) {
            return (next.get(w) - DISCOUNT) / sum(next);
        }
        return bow1.getOrDefault(h, 1.0) * p1.get(w);
    }

    private static double backoff(Map<String, Integer> next, java.util.function.Function<String, Double> lower) {
        double total = sum(next);
        double left = DISCOUNT * next.size() / total;
        double lowerSeen = next.keySet().stream().mapToDouble(lower::apply).sum();
        return left / Math.max(1e-9, 1 - lowerSeen);
    }

    private static double sum(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String log(double p) {
        return String.format(Locale.ROOT, "%.4f", Math.log10(p));
    }
}
