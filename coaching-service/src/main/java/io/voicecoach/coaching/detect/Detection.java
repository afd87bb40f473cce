package io.voicecoach.coaching.detect;

import io.voicecoach.coaching.playbook.Playbook;

/**
 * @param kind       {@link #OBJECTION} or {@link #BUYING_SIGNAL}
 * @param category   the objection category, or {@link #BUYING_SIGNAL} for buying signals
 * @param confidence 0..1
 * @param matched    the strongest trigger that matched, as found in the normalised utterance
 * @param competitor the normalised name of a known competitor the utterance names, else null
 * @param answer     the playbook's answer for the category
 * @param source     {@link #RULES} or {@link #EMBEDDING}: what found it
 */
public record Detection(String kind, String category, double confidence, String matched, String competitor,
                        Playbook.Answer answer, String source) {

    public static final String OBJECTION = "objection";
    public static final String BUYING_SIGNAL = "buying_signal";
    public static final String RULES = "rules";
    public static final String EMBEDDING = "embedding";

    public boolean isObjection() {
        return OBJECTION.equals(kind);
    }
}
