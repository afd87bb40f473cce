package io.voicecoach.transcription.stt.sphinx;

import io.voicecoach.transcription.stt.SttConfig;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Domain language models and matching pronunciation dictionaries on disk, one pair per phrase list (the empty list
 * gives the plain sales-call model). Built on first use and kept in a small LRU cache.
 */
final class LanguageModels {

    private static final Logger LOG = Logger.getLogger(LanguageModels.class);

    record ModelFiles(Path languageModel, Path dictionary) {
    }

    private final Map<String, List<String>> pronunciations;
    private final List<String> corpus;
    private final int boost;
    private final Path dir;
    private final Map<String, ModelFiles> cache;

    LanguageModels(Path dictionary, SttConfig.Pocketsphinx config) throws IOException {
        this.pronunciations = readDictionary(dictionary);
        this.corpus = corpus(config);
        this.boost = config.phraseBoost();
        this.dir = Files.createTempDirectory("voicecoach-lm");
        int max = config.cachedModels();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ModelFiles> eldest) {
                if (size() <= max) {
                    return false;
                }
                delete(eldest.getValue());
                return true;
            }
        };
    }

    synchronized ModelFiles forPhrases(Collection<String> phrases) {
        var normalised = new TreeSet<String>();
        phrases.forEach(p -> normalised.add(String.join(" ", DomainLanguageModel.words(p))));
        normalised.remove("");
        String key = String.join("\n", normalised);
        var files = cache.get(key);
        if (files == null) {
            files = write(key, normalised);
            cache.put(key, files);
        }
        return files;
    }

    private ModelFiles write(String key, Collection<String> phrases) {
        var model = DomainLanguageModel.build(corpus, phrases, boost, pronunciations.keySet());
        if (!phrases.isEmpty() && !model.skippedWords().isEmpty()) {
            LOG.warnf("phrase-list words without a pronunciation are not recognisable: %s", model.skippedWords());
        }
        var dict = new ArrayList<String>();
        model.vocabulary().forEach(w -> dict.addAll(pronunciations.getOrDefault(w, List.of())));
        String name = Integer.toHexString(Objects.hash(key)) + "-" + System.nanoTime();
        try {
            var lm = Files.writeString(dir.resolve(name + ".lm"), model.toArpa());
            var dic = Files.write(dir.resolve(name + ".dict"), dict);
            return new ModelFiles(lm, dic);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the language model", e);
        }
    }

    synchronized void deleteAll() {
        cache.values().forEach(LanguageModels::delete);
        cache.clear();
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debugf(e, "cannot delete %s", dir);
        }
    }

    private static void delete(ModelFiles files) {
        try {
            Files.deleteIfExists(files.languageModel());
            Files.deleteIfExists(files.dictionary());
        } catch (IOException e) {
            LOG.debugf(e, "cannot delete %s", files);
        }
    }

    /** Word -> its dictionary lines ({@code word PH ON ES}, {@code word(2) ...}). */
    private static Map<String, List<String>> readDictionary(Path dictionary) throws IOException {
        var entries = new HashMap<String, List<String>>();
        try (var lines = Files.lines(dictionary, StandardCharsets.UTF_8)) {
            lines.filter(l -> !l.isBlank()).forEach(line -> {
                int space = line.indexOf(' ');
                if (space <= 0) {
                    return;
                }
                String word = line.substring(0, space);
                int variant = word.indexOf('(');
                entries.computeIfAbsent(variant > 0 ? word.substring(0, variant) : word, w -> new ArrayList<>()).add(line);
            });
        }
        return entries;
    }

    private static List<String> corpus(SttConfig.Pocketsphinx config) throws IOException {
        var sentences = new ArrayList<String>();
        try (var in = LanguageModels.class.getResourceAsStream("/stt/sales-phrases.txt")) {
            new BufferedReader(new InputStreamReader(Objects.requireNonNull(in, "stt/sales-phrases.txt"), StandardCharsets.UTF_8))
                    .lines().forEach(sentences::add);
        }
        if (config.corpusPath().isPresent()) {
            sentences.addAll(Files.readAllLines(Path.of(config.corpusPath().get())));
        }
        return sentences.stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    }
}
