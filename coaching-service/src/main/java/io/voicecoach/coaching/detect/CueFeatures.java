package io.voicecoach.coaching.detect;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A few word cues appended to the sentence embedding for the classifier. Sentence embeddings are dominated by the
 * topic ("price", "my boss"), so a harmless remark about prices sits next to a price objection; objections are
 * usually marked by negation, "too", contrast, obligation or doubt, which these cues make explicit. Each cue is 0 or
 * {@link #SCALE}; the classifier learns from the playbook's examples how much each one counts per class.
 */
final class CueFeatures {

    static final float SCALE = 0.3f;

    private static final List<Set<String>> WORD_CUES = List.of(
            Set.of("not", "no", "never", "dont", "doesnt", "didnt", "cant", "cannot", "wont", "isnt", "arent", "wasnt",
                    "werent", "couldnt", "wouldnt", "shouldnt", "havent", "hasnt", "nothing", "nobody", "hardly"),
            Set.of("too", "overkill", "enough"),
            Set.of("but", "however", "though", "although", "unless", "honestly", "frankly"),
            Set.of("would", "could", "should", "might", "maybe", "perhaps"),
            Set.of("why", "how", "what", "who", "where", "when", "which"),
            Set.of("than", "more", "less", "cheaper", "better", "bigger", "else", "other", "another"),
            Set.of("already", "still", "currently", "now", "today"),
            Set.of("worried", "concern", "concerns", "concerned", "skeptical", "sure", "risk", "trust", "prove", "proof"),
            Set.of("later", "wait", "until", "after", "once", "next", "busy"),
            Set.of("we", "our", "us", "i", "my", "me"));
    private static final List<List<String>> PHRASE_CUES = List.of(
            List.of("have", "to"), List.of("has", "to"), List.of("need", "to"), List.of("not", "sure"));

    static int size() {
        return WORD_CUES.size() + PHRASE_CUES.size();
    }

    static float[] of(String raw) {
        var utterance = NormalizedText.of(raw == null ? "" : raw);
        var words = new HashSet<>(utterance.words());
        float[] cues = new float[size()];
        for (int i = 0; i < WORD_CUES.size(); i++) {
            for (String word : WORD_CUES.get(i)) {
                if (words.contains(word)) {
                    cues[i] = SCALE;
                    break;
                }
            }
        }
        for (int i = 0; i < PHRASE_CUES.size(); i++) {
            if (!utterance.find(PHRASE_CUES.get(i)).isEmpty()) {
                cues[WORD_CUES.size() + i] = SCALE;
            }
        }
        return cues;
    }

    /** The embedding followed by the cues of its text. */
    static float[] features(String raw, float[] embedding) {
        float[] cues = of(raw);
        float[] all = new float[embedding.length + cues.length];
        System.arraycopy(embedding, 0, all, 0, embedding.length);
        System.arraycopy(cues, 0, all, embedding.length, cues.length);
        return all;
    }

    private CueFeatures() {
    }
}
