package io.voicecoach.transcription.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts a reply's text into the pieces spoken one by one, as it streams in: after a sentence end ({@code . ! ?}
 * followed by a space, not after {@code Mr.}, {@code e.g.}, ...), a line break, a clause mark ({@code , ; :}) once the
 * piece is {@code clauseMinChars} long, or any space once it is {@code maxChars} long. A cut depends only on the text
 * up to the space after it, so the pieces are the same however the text was split into deltas (a reply synthesized
 * again from its full text gets the same pieces, hence the same event ids). The pieces joined give the text back;
 * a piece without a letter or digit is not cut off alone but kept with the next one.
 */
public final class SentenceChunker {

    private static final String SENTENCE_ENDS = ".!?…";
    private static final String CLAUSE_MARKS = ",;:";
    private static final String CLOSERS = "\"')]”’»";
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "vs", "eg", "ie", "jr",
            "sr", "prof", "approx", "etc", "no");

    private final int clauseMinChars;
    private final int maxChars;
    private final StringBuilder text = new StringBuilder();
    private int start;
    private int scanned;

    public SentenceChunker(int clauseMinChars, int maxChars) {
        this.clauseMinChars = clauseMinChars;
        this.maxChars = maxChars;
    }

    /** Adds streamed text; returns the pieces it completed, in order. */
    public List<String> add(String delta) {
        text.append(delta);
        var pieces = new ArrayList<String>();
        for (; scanned < text.length(); scanned++) {
            char c = text.charAt(scanned);
            if (c == '\n') {
                cut(scanned + 1, pieces);
            } else if (Character.isWhitespace(c) && scanned > start && endsPiece(scanned)) {
                cut(scanned, pieces);
            }
        }
        return pieces;
    }

    /** The text after the last piece (maybe blank); the chunker is empty afterwards. */
    public String finish() {
        String rest = text.substring(start);
        start = text.length();
        scanned = start;
        return rest;
    }

    /** All pieces of a whole text, as streaming it would give them. */
    public static List<String> pieces(String text, int clauseMinChars, int maxChars) {
        var chunker = new SentenceChunker(clauseMinChars, maxChars);
        var pieces = new ArrayList<>(chunker.add(text));
        String rest = chunker.finish();
        if (!rest.isBlank()) {
            pieces.add(rest);
        }
        return pieces;
    }

    private boolean endsPiece(int end) {
        int last = end - 1;
        while (last > start && CLOSERS.indexOf(text.charAt(last)) >= 0) {
            last--;
        }
        char mark = text.charAt(last);
        if (SENTENCE_ENDS.indexOf(mark) >= 0) {
            return mark != '.' || !abbreviation(last);
        }
        int length = end - start;
        return CLAUSE_MARKS.indexOf(mark) >= 0 && length >= clauseMinChars || length >= maxChars;
    }

    private boolean abbreviation(int dot) {
        int from = dot;
        while (from > start && !Character.isWhitespace(text.charAt(from - 1))) {
            from--;
        }
        String word = text.substring(from, dot).replace(".", "").toLowerCase(Locale.ROOT);
        return ABBREVIATIONS.contains(word);
    }

    private void cut(int end, List<String> pieces) {
        String piece = text.substring(start, end);
        if (piece.codePoints().anyMatch(Character::isLetterOrDigit)) {
            pieces.add(piece);
            start = end;
        }
    }
}
