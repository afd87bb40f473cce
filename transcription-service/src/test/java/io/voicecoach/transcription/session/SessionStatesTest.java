package io.voicecoach.transcription.session;

import io.voicecoach.events.Track;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-session state is bounded in time and size and follows the partitions this instance owns. */
class SessionStatesTest {

    private static final int SECOND_OF_AUDIO = 16_000;
    private final AtomicLong clock = new AtomicLong();
    private final SessionStates states = new SessionStates(Duration.ofMinutes(10), 3, clock::get);

    @Test
    void aSessionUntouchedForTheTtlIsForgotten() {
        states.audio("acme", "s1", 0, Track.AGENT, SECOND_OF_AUDIO);
        states.audio("acme", "s2", 1, Track.AGENT, SECOND_OF_AUDIO);
        advance(Duration.ofMinutes(9));
        states.audio("acme", "s2", 1, Track.CUSTOMER, SECOND_OF_AUDIO); // s2 touched, s1 not
        advance(Duration.ofMinutes(2));

        assertThat(states.contains("s1")).isFalse();
        assertThat(states.audioMillis("s2", Track.AGENT)).hasValue(1000);
        assertThat(states.size()).isEqualTo(1);
        advance(Duration.ofMinutes(10));
        assertThat(states.size()).isZero();
    }

    @Test
    void beyondTheLimitTheLeastRecentlyTouchedSessionGoes() {
        states.audio("acme", "s1", 0, Track.AGENT, 1);
        states.audio("acme", "s2", 0, Track.AGENT, 1);
        states.audio("acme", "s3", 0, Track.AGENT, 1);
        states.nextTranscriptSeq("acme", "s1", 0); // s1 is now the most recent

        states.audio("acme", "s4", 0, Track.AGENT, 1);

        assertThat(states.size()).isEqualTo(3);
        assertThat(List.of("s1", "s2", "s3", "s4")).filteredOn(states::contains).containsExactly("s1", "s3", "s4");
    }

    @Test
    void theSessionsOfALostPartitionAreDroppedAndStartAfreshWhenItComesBack() {
        states.audio("acme", "s1", 0, Track.AGENT, SECOND_OF_AUDIO);
        states.audio("acme", "s2", 1, Track.AGENT, SECOND_OF_AUDIO);
        assertThat(states.nextTranscriptSeq("acme", "s1", 0)).isEqualTo(1);
        assertThat(states.nextTranscriptSeq("acme", "s1", 0)).isEqualTo(2);
        assertThat(states.firstRefusal("acme", "s1", 0, "martian-asr")).isTrue();
        assertThat(states.firstRefusal("acme", "s1", 0, "martian-asr")).isFalse();

        assertThat(states.drop(List.of(0, 2))).isEqualTo(1);

        assertThat(states.contains("s1")).isFalse();
        assertThat(states.contains("s2")).isTrue();
        assertThat(states.nextTranscriptSeq("acme", "s1", 0)).isEqualTo(1);
        assertThat(states.firstRefusal("acme", "s1", 0, "martian-asr")).isTrue();
    }

    @Test
    void audioClaimingAnotherTenantsSessionIsRefusedAndCountsNothing() {
        assertThat(states.audio("acme", "s1", 0, Track.AGENT, SECOND_OF_AUDIO)).isTrue();
        assertThat(states.audio("globex", "s1", 0, Track.AGENT, SECOND_OF_AUDIO)).isFalse();
        assertThat(states.audioMillis("s1", Track.AGENT)).hasValue(1000);
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }
}
