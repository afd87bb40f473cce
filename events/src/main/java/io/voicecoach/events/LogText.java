package io.voicecoach.events;

/**
 * A client-supplied name (engine, model, voice) as it may be written to a log: control and format characters (CR, LF,
 * ESC of ANSI sequences, bidi overrides) and lone surrogates become {@code ?} and the text is cut at
 * {@value #MAX_CHARS} characters, so a
 * client cannot forge log lines, recolour a terminal or flood the log with one value.
 */
public final class LogText {

    public static final int MAX_CHARS = 64;

    public static String of(String raw) {
        return of(raw, MAX_CHARS);
    }

    /** Like {@link #of(String)}, cut at {@code maxChars} (a message that quotes client input). */
    public static String of(String raw, int maxChars) {
        if (raw == null) {
            return "null";
        }
        int keep = Math.min(raw.length(), maxChars);
        var safe = new StringBuilder(keep + 24);
        for (int i = 0; i < keep; i++) {
            char c = raw.charAt(i);
            safe.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) ? '?' : c);
        }
        if (raw.length() > keep) {
            safe.append("...(").append(raw.length()).append(" chars)");
        }
        return safe.toString();
    }

    private LogText() {
    }
}
