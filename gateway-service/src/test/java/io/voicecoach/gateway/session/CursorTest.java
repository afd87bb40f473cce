package io.voicecoach.gateway.session;

import io.voicecoach.gateway.realtime.RealtimeJson;
import org.junit.jupiter.api.Test;

import java.util.List;
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

        var transcript = new RecordPosition(FeedTopic.TRANSCRIPTS, 1, 3, 1200);
        var stamped = stream.stamped(transcript, List.of("{\"event_id\":\"evt_random\",\"type\":\"x\"}"), 0);
        assertThat(stamped).containsExactly("{\"event_id\":\"evt_c" + Long.toString(1200, 36)
                + "_s1.a_t1.3\",\"type\":\"x\"}");
    }

    @Test
    void theFramesOfOneRecordCarryDistinctCursorsTheLastOneTheRecordsPosition() {
        var stream = new ClientStream(Cursor.EMPTY, 16, false);
        var reply = new RecordPosition(FeedTopic.REPLIES, 2, 9, 5000);
        assertThat(stream.advance(reply)).isTrue();
        var frames = List.of("{\"event_id\":\"evt_a\",\"type\":\"a\"}", "{\"event_id\":\"evt_b\",\"type\":\"b\"}",
                "{\"event_id\":\"evt_c\",\"type\":\"c\"}");
        var ids = stream.stamped(reply, frames, 0).stream().map(RealtimeJson::eventIdOf).toList();

        String ts = Long.toString(5000, 36);
        assertThat(ids).containsExactly("evt_c" + ts + "_r2.9~1", "evt_c" + ts + "_r2.9~2", "evt_c" + ts + "_r2.9");
        var partial = Cursor.parse(ids.get(1)).orElseThrow();
        assertThat(partial.partial(FeedTopic.REPLIES, 2)).isTrue();
        assertThat(partial.partialFrames()).isEqualTo(2);
        assertThat(partial.encode()).isEqualTo(ids.get(1));
        assertThat(Cursor.parse(ids.get(2)).orElseThrow().partial(FeedTopic.REPLIES, 2)).isFalse();
        assertThat(Cursor.parse("evt_c1_r2.9~0")).isEmpty();
        assertThat(Cursor.parse("evt_c1_r2.9~1_s1.1~1")).isEmpty();
    }

    @Test
    void aStreamResumedInTheMiddleOfARecordSendsTheRestOfIt() {
        var stream = new ClientStream(Cursor.parse("evt_c1_r2.9~2_s1.4").orElseThrow(), 16, true);
        assertThat(stream.cursor().encode()).isEqualTo("evt_c1_r2.9~2_s1.4");
        var reply = new RecordPosition(FeedTopic.REPLIES, 2, 9, 5000);
        assertThat(stream.advance(reply)).isTrue();
        assertThat(stream.alreadyDelivered(reply)).isEqualTo(2);
        assertThat(stream.alreadyDelivered(reply)).isZero();
        assertThat(stream.cursor().partialKey()).isNull();
        assertThat(stream.advance(new RecordPosition(FeedTopic.SUGGESTIONS, 1, 4, 10))).isFalse();
    }
}
