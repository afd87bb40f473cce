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

    @Test
    void audioFasterThanTheRateIsRefusedAfterTheBurstJudgedOnReceivedTime() {
        var limited = new SessionStates(Duration.ofMinutes(10), 10, clock::get, 4, Duration.ofSeconds(2));
        int tenth = SECOND_OF_AUDIO / 10;
        long t0 = 1_000_000;
        // 100 ms chunks received every 1 ms: the 2 s burst (20 chunks) and then nothing more
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            if (limited.admit("acme", "s1", 0, Track.CUSTOMER, tenth, t0 + i) == SessionStates.Admission.ACCEPTED) {
                admitted++;
            }
        }
        // the 2 s burst plus 4 x the 99 ms that passed: 2.396 s, so 23 chunks of 100 ms
        assertThat(admitted).isEqualTo(23);
        assertThat(limited.audioMillis("s1", Track.CUSTOMER)).hasValue(2300);
        // at 4 x real time it goes on: one 100 ms chunk per 25 ms
        for (int i = 0; i < 40; i++) {
            assertThat(limited.admit("acme", "s1", 0, Track.CUSTOMER, tenth, t0 + 200 + i * 25L))
                    .isEqualTo(SessionStates.Admission.ACCEPTED);
        }
        // a replay of old audio (received time going back) gives no new allowance
        assertThat(limited.admit("acme", "s1", 0, Track.CUSTOMER, SECOND_OF_AUDIO, t0))
                .isEqualTo(SessionStates.Admission.TOO_FAST);
        assertThat(limited.admit("globex", "s1", 0, Track.CUSTOMER, tenth, t0 + 10_000))
                .isEqualTo(SessionStates.Admission.FOREIGN_TENANT);
        assertThat(limited.admit("acme", "s2", 1, Track.AGENT, SECOND_OF_AUDIO * 2, t0))
                .as("another session has its own burst").isEqualTo(SessionStates.Admission.ACCEPTED);
    }

    @Test
    void refusedUtterancesAreRememberedBoundedAndDroppedWithTheirPartition() {
        for (int i = 0; i < SessionStates.REFUSED_UTTERANCES + 5; i++) {
            states.refuseUtterance("acme", "s1", 0, "item_" + i, "utterance_too_long");
        }
        assertThat(states.refused("s1", "item_0")).as("the oldest are forgotten").isFalse();
        assertThat(states.refused("s1", "item_" + (SessionStates.REFUSED_UTTERANCES + 4))).isTrue();
        states.drop(List.of(0));
        assertThat(states.refused("s1", "item_20")).isFalse();
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }
}
