package io.voicecoach.analytics.api;

import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    @Test
    void cursorsRoundTripAndForeignOnesAreRefused() {
        var cursor = new Cursor(Instant.parse("2026-11-22T09:30:00.123456Z"), "sess_a|b");
        assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(Cursor.decode(null)).isNull();
        for (String bad : new String[]{"bm9wZQ", "%%", "MjAyNnxzZXNz", "fA"}) {
            assertThatThrownBy(() -> Cursor.decode(bad)).isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void datesCoverWholeUtcDaysAndInstantsAreExact() {
        var days = SessionFilter.parse(null, "2026-11-10", "2026-11-11", null);
        assertThat(days.from()).isEqualTo(Instant.parse("2026-11-10T00:00:00Z"));
        assertThat(days.to()).isEqualTo(Instant.parse("2026-11-12T00:00:00Z"));
        var instants = SessionFilter.parse("rep_1", "2026-11-10T08:00:00Z", "2026-11-10T09:00:00Z", "price");
        assertThat(instants).isEqualTo(new SessionFilter("rep_1", Instant.parse("2026-11-10T08:00:00Z"),
                Instant.parse("2026-11-10T09:00:00Z"), "price"));
        assertThat(SessionFilter.parse("", "", null, null)).isEqualTo(new SessionFilter(null, null, null, null));
        assertThatThrownBy(() -> SessionFilter.parse(null, "2026-11-11", "2026-11-10T00:00:00Z", null))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> SessionFilter.parse(null, "11/10/2026", null, null))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> SessionFilter.parse(" ", null, null, null)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void csvCellsAreQuotedAndNeverFormulas() {
        assertThat(SessionExport.text("plain")).isEqualTo("plain");
        assertThat(SessionExport.text(null)).isEmpty();
        assertThat(SessionExport.text("a,b")).isEqualTo("\"a,b\"");
        assertThat(SessionExport.text("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(SessionExport.text("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(SessionExport.text("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(SessionExport.text("+1")).isEqualTo("'+1");
        assertThat(SessionExport.text("@rep")).isEqualTo("'@rep");
        assertThat(SessionExport.text("-2")).isEqualTo("'-2");
    }
}
