package io.voicecoach.analytics.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;

import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sessions as CSV (RFC 4180, header row, CRLF line ends). Text cells starting with {@code = + - @} or a control
 * character get a leading apostrophe so spreadsheets do not run them as formulas.
 */
@ApplicationScoped
public class SessionExport {

    static final String HEADER = "session_id,call_id,rep_id,mode,started_at,ended_at,end_reason,duration_ms,"
            + "utterances,suggestions,objections,team,outcome";
    private static final int PAGE = 500;

    private final SessionSearch search;
    private final ExportConfig config;

    public SessionExport(SessionSearch search, ExportConfig config) {
        this.search = search;
        this.config = config;
    }

    public String csv(String tenantId, SessionFilter filter) {
        var csv = new StringBuilder(HEADER).append("\r\n");
        Cursor after = null;
        int rows = 0;
        do {
            var page = search.page(tenantId, filter, after, PAGE);
            for (SessionSummary s : page.sessions()) {
                if (++rows > config.maxRows()) {
                    throw new BadRequestException("more than " + config.maxRows()
                            + " sessions match; narrow the date range");
                }
                csv.append(Stream.of(text(s.sessionId()), text(s.callId()), text(s.repId()), text(s.mode()),
                                value(s.startedAt()), value(s.endedAt()), text(s.endReason()), value(s.durationMs()),
                                value(s.utteranceCount()), value(s.suggestionCount()), value(s.objectionCount()),
                                text(s.team()), text(s.outcome()))
                        .collect(Collectors.joining(","))).append("\r\n");
            }
            after = page.nextCursor() == null ? null : Cursor.decode(page.nextCursor());
        } while (after != null);
        return csv.toString();
    }

    static String text(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && ("=+-@".indexOf(value.charAt(0)) >= 0 || value.charAt(0) < ' ')
                ? "'" + value : value;
        return safe.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')
                ? '"' + safe.replace("\"", "\"\"") + '"'
                : safe;
    }

    private static String value(Object value) {
        return Objects.toString(value, "");
    }
}
