package io.voicecoach.gateway.session;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CursorTest {

    @Test
    void theDocumentedTextFormRoundTrips() {
        var cursor = new Cursor(1_700_000_000_000L, Map.of("s2", 47L, "t2", 15L, "r0", 0L));

        assertThat(cursor.encode()).isEqualTo("evt_c" + Long.toString(1_700_000_000_000L, 36) + "_r0.0_s2.1b_t2.f");
        assertThat(Cursor.parse(cursor.encode())).contains(cursor);
        assertThat(Cursor.parse(cursor.encode()).orElseThrow().offset(FeedTopic.SUGGESTIONS, 2)).isEqualTo(47L);
        assertThat(Cursor.parse(cursor.encode()).orElseThrow().offset(FeedTopic.REPLIES, 2)).isNull();
    }

    @Test
    void randomEventIdsAndGarbageAreNoCursor() {
        assertThat(Cursor.parse("evt_cB7xqPZ0aKd9ffw1LmNoPq")).isEmpty();
        assertThat(Cursor.parse("evt_c1_x2.5")).isEmpty();
        assertThat(Cursor.parse("evt_c1_s2.-5")).isEmpty();
        assertThat(Cursor.parse("evt_c1_s.5")).isEmpty();
        assertThat(Cursor.parse(null)).isEmpty();
        assertThat(Cursor.parse("evt_c1" + "_s1.1".repeat(65))).isEmpty();
        assertThat(Cursor.parse("evt_c0")).contains(Cursor.EMPTY);
    }

    @Test
    void aStreamStampsFramesWithItsCursorAndSkipsWhatItDelivered() {
        var stream = new ClientStream(Cursor.EMPTY, 16, false);
        var first = new RecordPosition(FeedTopic.SUGGESTIONS, 1, 10, 1000);
        assertThat(stream.advance(first)).isTrue();
        assertThat(stream.advance(first)).isFalse();
        assertThat(stream.advance(new RecordPosition(FeedTopic.SUGGESTIONS, 1, 9, 900))).isFalse();
        assertThat(stream.advance(new RecordPosition(FeedTopic.TRANSCRIPTS, 1, 3, 1200))).isTrue();

        String stamped = stream.stamped("{\"event_id\":\"evt_random\",\"type\":\"x\"}");
        assertThat(stamped).isEqualTo("{\"event_id\":\"evt_c" + Long.toString(1200, 36) + "_s1.a_t1.3\",\"type\":\"x\"}");
    }
}
