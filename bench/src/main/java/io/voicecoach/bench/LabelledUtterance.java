package io.voicecoach.bench;

/**
 * One line of the evaluation set.
 *
 * @param kind     {@code objection}, {@code buying_signal} or {@code none}
 * @param category the objection category, {@code buying_signal}, or {@code none}
 * @param group    where it comes from: the category, {@code neutral} (small talk) or {@code hard_negative}
 *                 (mentions price, time, a boss... without objecting)
 */
public record LabelledUtterance(String text, String kind, String category, String group) {

    public static final String NONE = "none";

    public boolean expectsNothing() {
        return NONE.equals(category);
    }
}
