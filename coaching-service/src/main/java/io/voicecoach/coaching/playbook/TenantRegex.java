package io.voicecoach.coaching.playbook;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Regular expressions a tenant wrote (playbook patterns), compiled with RE2/J: matching takes time linear in the text
 * times the pattern's size, whatever the pattern ({@code (a+)+$} cannot backtrack), and constructs that need
 * backtracking (backreferences, lookaround) do not compile. RE2/J expands counted repetition while compiling, so
 * {@code ((a{1000}){1000}){1000}} would exhaust the heap before any limit of its own applies: {@link #size} estimates
 * the compiled size from the text first, and a pattern above the limit is refused without being compiled.
 */
public final class TenantRegex {

    private static final java.util.regex.Pattern COUNT = java.util.regex.Pattern.compile("\\d+(,\\d*)?");

    private TenantRegex() {
    }

    /** Compiles a pattern that {@link #problem} accepted. */
    public static Pattern compile(String regex) {
        return Pattern.compile(regex);
    }

    /** Why the pattern cannot be used, or empty when it compiles within {@code maxSize}. */
    public static Optional<String> problem(String regex, int maxSize) {
        long size = size(regex);
        if (size > maxSize) {
            return Optional.of("is too large: it expands to about " + size + " instructions, at most " + maxSize
                    + " are allowed (nested or large repetition counts)");
        }
        try {
            Pattern.compile(regex);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("is not a regular expression this service runs (RE2 syntax: no backreferences or "
                    + "lookaround): " + e.getMessage());
        }
    }

    /**
     * An upper estimate of the compiled program's size: every atom counts 1, a group the sum of its parts, {@code {n}}
     * or {@code {n,m}} multiplies the preceding atom or group by its largest count. Conservative, not exact: only
     * used to refuse patterns before RE2/J expands them.
     */
    public static long size(String regex) {
        var groups = new ArrayDeque<long[]>(); // per open group: {size so far, size of its last element}
        long[] current = {0, 0};
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            long element = 1;
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && regex.charAt(i + 1) == 'Q') {
                        int end = regex.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        element = Math.max(1, stop - (i + 2));
                        i = end < 0 ? n : end + 2;
                    } else {
                        i = skipEscape(regex, i);
                    }
                }
                case '[' -> i = skipClass(regex, i);
                case '(' -> {
                    groups.push(current);
                    current = new long[]{0, 0};
                    i++;
                    continue;
                }
                case ')' -> {
                    element = Math.max(1, current[0]) + 1;
                    current = groups.isEmpty() ? new long[]{0, 0} : groups.pop();
                    i++;
                }
                case '{' -> {
                    int close = regex.indexOf('}', i);
                    long count = close < 0 ? -1 : largestCount(regex.substring(i + 1, close));
                    if (count < 0) {
                        i++; // a literal brace
                    } else {
                        long repeated = times(current[1], Math.max(1, count));
                        current[0] = saturate(current[0] - current[1] + repeated);
                        current[1] = repeated;
                        i = close + 1;
                        continue;
                    }
                }
                case '*', '+', '?' -> {
                    current[0] = saturate(current[0] + 1);
                    i++;
                    continue;
                }
                default -> i++;
            }
            current[0] = saturate(current[0] + element);
            current[1] = element;
        }
        long total = current[0];
        while (!groups.isEmpty()) {
            total = saturate(total + groups.pop()[0]);
        }
        return total;
    }

    private static int skipEscape(String regex, int at) {
        int i = at + 2;
        if (at + 1 < regex.length() && (regex.charAt(at + 1) == 'p' || regex.charAt(at + 1) == 'P')
                && i < regex.length() && regex.charAt(i) == '{') {
            int close = regex.indexOf('}', i);
            return close < 0 ? regex.length() : close + 1;
        }
        return Math.min(i, regex.length());
    }

    private static int skipClass(String regex, int at) {
        int i = at + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        while (i < regex.length() && regex.charAt(i) != ']') {
            if (regex.charAt(i) == '\\') {
                i++;
            } else if (regex.startsWith("[:", i)) {
                int close = regex.indexOf(":]", i + 2);
                i = close < 0 ? i : close + 1;
            }
            i++;
        }
        return Math.min(i + 1, regex.length());
    }

    /** {@code 3}, {@code 3,}, {@code 3,9} -> the largest count (the lower one for an open range); -1 if not a count. */
    private static long largestCount(String body) {
        if (!COUNT.matcher(body).matches()) {
            return -1;
        }
        long largest = 0;
        for (String part : body.split(",")) {
            largest = Math.max(largest, part.length() > 9 ? Integer.MAX_VALUE : Long.parseLong(part));
        }
        return largest;
    }

    private static long times(long a, long b) {
        return b != 0 && a > Integer.MAX_VALUE / b ? Integer.MAX_VALUE : a * b;
    }

    private static long saturate(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? Integer.MAX_VALUE : value;
    }
}
