package io.voicecoach.coaching.kb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a document into chunks for retrieval: sections start at Markdown headings ({@code #} lines), sections are
 * split into paragraphs (blank lines), and paragraphs are packed into chunks of at most {@code maxChars} (a longer
 * paragraph is cut at sentence or word boundaries). Each chunk after the first of a section starts with the tail
 * (up to {@code overlapChars}) of the previous one, and every chunk carries its section heading, so a chunk read alone
 * keeps its context.
 */
public final class Chunker {

    private final int maxChars;
    private final int overlapChars;

    public Chunker(int maxChars, int overlapChars) {
        if (maxChars < 100 || overlapChars < 0 || overlapChars >= maxChars / 2) {
            throw new IllegalArgumentException("need maxChars >= 100 and 0 <= overlapChars < maxChars / 2");
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    public List<String> chunks(String text) {
        var chunks = new ArrayList<String>();
        for (var section : sections(text)) {
            chunkSection(section, chunks);
        }
        return chunks;
    }

    private record Section(String heading, List<String> paragraphs) {
    }

    private static List<Section> sections(String text) {
        var sections = new ArrayList<Section>();
        String heading = null;
        var paragraphs = new ArrayList<String>();
        var paragraph = new StringBuilder();
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                flush(paragraph, paragraphs);
                if (!paragraphs.isEmpty()) {
                    sections.add(new Section(heading, List.copyOf(paragraphs)));
                    paragraphs.clear();
                }
                heading = trimmed.replaceFirst("^#+\\s*", "");
            } else if (trimmed.isEmpty()) {
                flush(paragraph, paragraphs);
            } else {
                if (!paragraph.isEmpty()) {
                    paragraph.append(' ');
                }
                paragraph.append(trimmed);
            }
        }
        flush(paragraph, paragraphs);
        if (!paragraphs.isEmpty()) {
            sections.add(new Section(heading, List.copyOf(paragraphs)));
        } else if (heading != null && !heading.isBlank()) {
            sections.add(new Section(null, List.of(heading)));
        }
        return sections;
    }

    private static void flush(StringBuilder paragraph, List<String> paragraphs) {
        if (!paragraph.isEmpty()) {
            paragraphs.add(paragraph.toString());
            paragraph.setLength(0);
        }
    }

    private void chunkSection(Section section, List<String> chunks) {
        String prefix = section.heading() == null || section.heading().isBlank() ? "" : section.heading() + "\n";
        int budget = Math.max(50, maxChars - prefix.length());
        var pieces = new ArrayList<String>();
        for (String paragraph : section.paragraphs()) {
            pieces.addAll(split(paragraph, budget));
        }
        var current = new StringBuilder();
        String carry = "";
        for (String piece : pieces) {
            if (!current.isEmpty() && current.length() + 2 + piece.length() > budget) {
                chunks.add(prefix + current);
                carry = tail(current.toString());
                current.setLength(0);
                if (!carry.isEmpty() && carry.length() + 2 + piece.length() <= budget) {
                    current.append(carry);
                }
            }
            if (!current.isEmpty()) {
                current.append("\n\n");
            }
            current.append(piece);
        }
        if (!current.isEmpty()) {
            chunks.add(prefix + current);
        }
    }

    /** The last {@code overlapChars} of a chunk, starting at a word boundary. */
    private String tail(String chunk) {
        if (overlapChars == 0 || chunk.length() <= overlapChars) {
            return overlapChars == 0 ? "" : chunk;
        }
        int from = chunk.length() - overlapChars;
        int space = chunk.indexOf(' ', from);
        return space < 0 ? chunk.substring(from) : chunk.substring(space + 1);
    }

    /** A paragraph longer than {@code budget} cut at sentence ends, else at spaces, else hard. */
    private static List<String> split(String paragraph, int budget) {
        var parts = new ArrayList<String>();
        String rest = paragraph;
        while (rest.length() > budget) {
            int cut = lastBoundary(rest, budget);
            parts.add(rest.substring(0, cut).strip());
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    private static int lastBoundary(String text, int budget) {
        for (int i = budget; i > budget / 2; i--) {
            char c = text.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        int space = text.lastIndexOf(' ', budget);
        return space > budget / 2 ? space : budget;
    }
}
