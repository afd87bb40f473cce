package io.voicecoach.transcription.tts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SentenceChunkerTest {

    private static final String REPLY = "Sure, Mr. Patel. I have Tuesday at 9:30 or 2.15 in the afternoon, which one "
            + "works best for you, and should I keep the same car on file? \"Great!\" Done.\nAnything else";

    @Test
    void cutsAfterSentenceEndsButNotAfterAbbreviationsOrNumbers() {
        var pieces = SentenceChunker.pieces(REPLY, 40, 200);

        assertThat(pieces).containsExactly(
                "Sure, Mr. Patel.",
                " I have Tuesday at 9:30 or 2.15 in the afternoon,",
                " which one works best for you, and should I keep the same car on file?",
                " \"Great!\"",
                " Done.\n",
                "Anything else");
        assertThat(String.join("", pieces)).isEqualTo(REPLY);
    }

    @Test
    void theSamePiecesHoweverTheTextIsStreamed() {
        var whole = SentenceChunker.pieces(REPLY, 40, 200);
        var random = new Random(7);
        for (int run = 0; run < 50; run++) {
            var chunker = new SentenceChunker(40, 200);
            var pieces = new ArrayList<String>();
            int at = 0;
            while (at < REPLY.length()) {
                int end = Math.min(REPLY.length(), at + 1 + random.nextInt(12));
                pieces.addAll(chunker.add(REPLY.substring(at, end)));
                at = end;
            }
            pieces.add(chunker.finish());
            assertThat(pieces).as("run %d", run).isEqualTo(whole);
        }
    }

    @Test
    void piecesAreEmittedAsSoonAsTheSpaceAfterTheirEndArrives() {
        var chunker = new SentenceChunker(40, 200);

        assertThat(chunker.add("Hello there.")).isEmpty();
        assertThat(chunker.add(" How")).containsExactly("Hello there.");
        assertThat(chunker.add(" are you?")).isEmpty();
        assertThat(chunker.finish()).isEqualTo(" How are you?");
    }

    @Test
    void longTextWithoutPunctuationIsCutAtASpaceAndPunctuationAloneIsNotAPiece() {
        String words = "word ".repeat(60).strip();
        var pieces = SentenceChunker.pieces(words, 40, 50);

        assertThat(pieces).hasSizeGreaterThan(5).allSatisfy(piece -> assertThat(piece.length()).isLessThanOrEqualTo(55));
        assertThat(String.join("", pieces)).isEqualTo(words);
        assertThat(SentenceChunker.pieces("... ! Okay.", 40, 200)).isEqualTo(List.of("... ! Okay."));
    }
}
