package io.voicecoach.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpokenItemsTest {

    private final SpokenItems spoken = new SpokenItems();

    /** Two pieces: "Sure, your car is booked." 0-2000 ms in chunks of 500, " See you on Tuesday at nine." 2000-3000. */
    private void sendTwoPieces() {
        spoken.sent("resp_1", "item_1", 0, 500, "Sure, your car is booked.", 0);
        spoken.sent("resp_1", "item_1", 500, 500, "", 0);
        spoken.sent("resp_1", "item_1", 1000, 500, "", 0);
        spoken.sent("resp_1", "item_1", 1500, 500, "", 0);
        spoken.sent("resp_1", "item_1", 2000, 500, " See you on Tuesday at nine.", 0);
        spoken.sent("resp_1", "item_1", 2500, 500, "", 0);
    }

    @Test
    void theWordsHeardAreThePiecesPlayedThenAProportionalShareOfThePieceBeingPlayed() {
        sendTwoPieces();

        assertThat(spoken.heard("item_1", 0)).isEmpty();
        assertThat(spoken.heard("item_1", 1000)).as("half of five words: two").isEqualTo("Sure, your");
        assertThat(spoken.heard("item_1", 2000)).isEqualTo("Sure, your car is booked.");
        assertThat(spoken.heard("item_1", 2500)).as("half of six words: three")
                .isEqualTo("Sure, your car is booked. See you on");
        assertThat(spoken.heard("item_1", 60_000)).isEqualTo("Sure, your car is booked. See you on Tuesday at nine.");
        assertThat(spoken.sentMs("item_1")).isEqualTo(3000);
    }

    @Test
    void aCutItemSendsNoMoreAudioAndAnInterruptCutsWhatRealTimePlaybackHasReached() {
        spoken.sent("resp_1", "item_1", 0, 500, "Sure, your car is booked.", 0);
        spoken.sent("resp_1", "item_1", 500, 500, "", 0);

        // 700 ms after the first chunk went out, playing at real time: 700 ms of five words over 1000 ms sent so far
        var cut = spoken.interrupt(700_000_000L).orElseThrow();
        assertThat(cut).isEqualTo(new SpokenItems.Cut("resp_1", "item_1", 700, "Sure, your car"));
        assertThat(spoken.sent("resp_1", "item_1", 1000, 500, "", 800_000_000L)).as("cut: not sent").isFalse();
        assertThat(spoken.finished("item_1")).as("cut, so not stopped but cleared").isFalse();
        assertThat(spoken.interrupt(900_000_000L)).as("nothing plays any more").isEmpty();
    }

    @Test
    void anItemWhollyPlayedIsNotInterruptedAndATruncateCutsAtTheClientsPosition() {
        spoken.sent("resp_1", "item_1", 0, 500, "Booked.", 0);
        assertThat(spoken.finished("item_1")).isTrue();
        assertThat(spoken.interrupt(2_000_000_000L)).as("played to its end 1.5 s ago").isEmpty();

        spoken.sent("resp_2", "item_2", 0, 1000, "One two three four.", 0);
        assertThat(spoken.cut("item_2", 500).orElseThrow().heard()).isEqualTo("One two");
        assertThat(spoken.sent("resp_2", "item_2", 1000, 500, "", 0)).isFalse();
        assertThat(spoken.cut("item_unknown", 500)).isEmpty();
    }

    @Test
    void playbackReportsAnchorTheEstimateAndAnItemReportedPlayedOutIsNotInterrupted() {
        sendTwoPieces(); // all 3000 ms sent at once, as a fast engine does: Twilio buffers and plays it in real time
        // Twilio started late: 2.5 s after the first chunk went out it reports only 500 ms played
        spoken.played("item_1", 500, 2_500_000_000L);
        spoken.played("item_1", 200, 2_600_000_000L); // an older mark echoed late moves nothing back
        var cut = spoken.interrupt(3_000_000_000L).orElseThrow();
        assertThat(cut.audioEndMs()).as("500 ms reported, then 500 ms of real time").isEqualTo(1000);
        assertThat(cut.heard()).isEqualTo("Sure, your");
        spoken.played("item_1", -1, 3_100_000_000L); // the marks a clear dropped come back too: ignored
        assertThat(spoken.interrupt(3_200_000_000L)).isEmpty();

        spoken.sent("resp_2", "item_2", 0, 1000, "One two three four.", 0);
        spoken.played("item_2", -1, 100_000_000L); // played out, though real time from the first chunk says not yet
        assertThat(spoken.interrupt(200_000_000L)).isEmpty();
        spoken.played("item_unknown", 100, 0);
    }

    @Test
    void chunksSentAgainByAReplayChangeNothingAndAnItemWithoutAudioIsUnknown() {
        sendTwoPieces();
        spoken.sent("resp_1", "item_1", 0, 500, "Sure, your car is booked.", 0);
        spoken.sent("resp_1", "item_1", 2000, 500, " See you on Tuesday at nine.", 0);

        assertThat(spoken.heard("item_1", 2500)).isEqualTo("Sure, your car is booked. See you on");
        assertThat(spoken.heard("item_other", 2500)).isNull();
        assertThat(spoken.sentMs("item_other")).isZero();
    }
}
