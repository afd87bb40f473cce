package io.voicecoach.gateway.audio;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.voicecoach.gateway.audio.Signals.add;
import static io.voicecoach.gateway.audio.Signals.concat;
import static io.voicecoach.gateway.audio.Signals.noise;
import static io.voicecoach.gateway.audio.Signals.sine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Turn detection on synthetic signals (16 kHz). Start/stop times are asserted within one 20 ms frame (+ onset). */
class TrackInputTest {

    private static final int RATE = 16000;

    private static short[] silence(int ms) {
        return new short[ms * RATE / 1000];
    }

    private static short[] tone(int ms, double dbfs) {
        return sine(440, Math.pow(10, dbfs / 20) * Math.sqrt(2), RATE, ms * RATE / 1000);
    }

    @Test
    void toneBurstsInSilenceBecomeTwoCommittedUtterancesWithPaddingAndHangover() {
        var audio = concat(silence(1000), tone(600, -20), silence(1000), tone(400, -20), silence(1000));

        var recorder = Recorder.run(audio, TurnDetection.DEFAULT);

        assertThat(recorder.events).extracting(Recorder.Event::kind)
                .containsExactly("started", "stopped", "committed", "started", "stopped", "committed");
        var starts = recorder.ofKind("started");
        var stops = recorder.ofKind("stopped");
        // audio_start_ms = speech start (1000) - prefix padding (300); audio_end_ms = speech end + silence (500)
        assertThat(starts.get(0).ms()).isCloseTo(700, within(20L));
        assertThat(stops.get(0).ms()).isCloseTo(2100, within(40L));
        assertThat(starts.get(1).ms()).isCloseTo(2600 - 300, within(20L));
        assertThat(stops.get(1).ms()).isCloseTo(3000 + 500, within(40L));

        // each utterance's audio runs contiguously from audio_start_ms to audio_end_ms, the last chunk committed
        for (int u = 0; u < 2; u++) {
            String itemId = starts.get(u).itemId();
            var chunks = recorder.chunks.stream().filter(c -> c.utteranceId().equals(itemId)).toList();
            assertThat(chunks.getFirst().offsetMs()).isEqualTo(starts.get(u).ms());
            assertThat(chunks).filteredOn(AudioChunk::commit).hasSize(1);
            assertThat(chunks.getLast().commit()).isTrue();
            for (int i = 1; i < chunks.size(); i++) {
                assertThat(chunks.get(i).offsetMs()).isEqualTo(chunks.get(i - 1).offsetMs()
                        + chunks.get(i - 1).samples() / 16);
            }
            assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.samples()).isEqualTo(3200));
            assertThat(recorder.samplesOf(itemId) / 16).isEqualTo(stops.get(u).ms() - starts.get(u).ms());
        }
    }

    @Test
    void speechInWhiteNoiseIsFoundAndNoiseAloneIsNot() {
        var noiseOnly = noise(-45, 5 * RATE, 1);
        assertThat(Recorder.run(noiseOnly, TurnDetection.DEFAULT).events).isEmpty();

        // 15 dB above a -45 dBFS noise floor
        var speech = concat(silence(1500), tone(800, -30), silence(1500), tone(500, -30), silence(1200));
        var noisy = add(speech, noise(-45, speech.length, 2));
        var recorder = Recorder.run(noisy, TurnDetection.DEFAULT);

        assertThat(recorder.ofKind("started")).hasSize(2);
        assertThat(recorder.ofKind("committed")).hasSize(2);
        assertThat(recorder.ofKind("started").get(0).ms()).isCloseTo(1500 - 300, within(20L));
        assertThat(recorder.ofKind("stopped").get(0).ms()).isCloseTo(2300 + 500, within(40L));
    }

    @Test
    void thresholdSetsTheMarginAboveTheNoiseFloor() {
        // ~8.5 dB above the noise: found at threshold 0 (3 dB margin), missed at 0.5 (10.5 dB)
        var speech = concat(silence(1500), tone(800, -38), silence(1500));
        var noisy = add(speech, noise(-45, speech.length, 3));

        assertThat(Recorder.run(noisy, new TurnDetection(0.0, 300, 500)).ofKind("started")).hasSize(1);
        assertThat(Recorder.run(noisy, TurnDetection.DEFAULT).ofKind("started")).isEmpty();
    }

    @Test
    void pausesShorterThanTheSilenceDurationKeepOneUtterance() {
        var audio = concat(silence(500), tone(400, -20), silence(300), tone(400, -20), silence(1000));

        assertThat(Recorder.run(audio, TurnDetection.DEFAULT).ofKind("committed")).hasSize(1);
        assertThat(Recorder.run(audio, new TurnDetection(0.5, 300, 200)).ofKind("committed")).hasSize(2);
    }

    @Test
    void clicksShorterThanTheMinimumSpeechAreIgnored() {
        var audio = concat(silence(500), tone(20, -10), silence(500), tone(40, -10), silence(500));

        assertThat(Recorder.run(audio, TurnDetection.DEFAULT).events).isEmpty();
    }

    @Test
    void prefixPaddingIsBoundedByTheStartOfTheTrack() {
        var audio = concat(silence(100), tone(500, -20), silence(800));

        var started = Recorder.run(audio, TurnDetection.DEFAULT).ofKind("started");

        assertThat(started).hasSize(1);
        assertThat(started.getFirst().ms()).isZero();
    }

    @Test
    void aTurnLongerThanTheMaximumIsCommittedAndContinuesAsANewItem() {
        var recorder = new Recorder();
        var input = recorder.track(new InputAudioFormat(InputAudioFormat.PCM, 16000), TurnDetection.DEFAULT, 1200);
        // 2.5 s of "speech": tone with 40 ms gaps (a steady tone longer than the floor window would become the floor)
        var speech = concat(tone(460, -20), silence(40));
        var audio = concat(silence(500), speech, speech, speech, speech, tone(500, -20), silence(1000));
        for (int at = 0; at < audio.length; at += 320) {
            input.appendCanonical(Signals.slice(audio, at, at + 320), Instant.now());
        }

        assertThat(recorder.events).extracting(Recorder.Event::kind).containsExactly(
                "started", "stopped", "committed", "started", "stopped", "committed", "started", "stopped", "committed");
        var starts = recorder.ofKind("started");
        // 200 ms (500 - 300 padding) + 1200 ms per piece; the last piece ends 500 ms after the tone
        assertThat(starts).extracting(Recorder.Event::ms).containsExactly(200L, 1400L, 2600L);
        assertThat(recorder.ofKind("stopped").getLast().ms()).isEqualTo(3500L);
        // no sample is lost or repeated across the split
        assertThat(recorder.chunks.stream().mapToInt(AudioChunk::samples).sum() / 16).isEqualTo(3500 - 200);
    }

    @Test
    void withoutTurnDetectionEverythingIsPublishedAndTheClientCommits() {
        var recorder = new Recorder();
        var input = recorder.track(InputAudioFormat.DEFAULT, null);
        var pcm24k = toBytes(sine(1000, 0.5, 24000, 24000 / 2)); // 500 ms at 24 kHz

        assertThat(input.commit()).isFalse();
        input.append(pcm24k, Instant.now());
        assertThat(recorder.events).isEmpty();
        assertThat(input.commit()).isTrue();

        assertThat(recorder.events).extracting(Recorder.Event::kind).containsExactly("committed");
        String itemId = recorder.events.getFirst().itemId();
        assertThat(recorder.chunks).extracting(AudioChunk::offsetMs).containsExactly(0L, 200L, 400L);
        assertThat(recorder.chunks).extracting(AudioChunk::commit).containsExactly(false, false, true);
        // ~500 ms of 16 kHz audio (the filter delays ~1 ms, so a few samples are still inside it)
        assertThat(recorder.samplesOf(itemId)).isBetween(7950, 8000);
        assertThat(input.commit()).isFalse();
    }

    @Test
    void clearDropsTheUnpublishedRestAndTheNextAudioIsANewItem() {
        var recorder = new Recorder();
        var input = recorder.track(new InputAudioFormat(InputAudioFormat.PCM, 16000), null);
        input.append(toBytes(sine(1000, 0.5, 16000, 1600)), Instant.now()); // 100 ms: below one chunk
        String first = input.itemId();

        input.clear();
        assertThat(input.commit()).isFalse();
        input.append(toBytes(sine(1000, 0.5, 16000, 1600)), Instant.now());
        assertThat(input.commit()).isTrue();

        assertThat(recorder.chunks).hasSize(1);
        assertThat(recorder.chunks.getFirst().utteranceId()).isNotEqualTo(first);
        assertThat(recorder.chunks.getFirst().offsetMs()).isEqualTo(100);
    }

    @Test
    void muLawAt8kHzIsDecodedAndResampled() {
        var recorder = new Recorder();
        var input = recorder.track(InputAudioFormat.MULAW_8K, null);
        var tone = sine(1000, 0.5, 8000, 8000);
        var ulaw = new byte[tone.length];
        for (int i = 0; i < tone.length; i++) {
            ulaw[i] = G711.linearToUlaw(tone[i]);
        }
        for (int at = 0; at < ulaw.length; at += 160) { // 20 ms Twilio frames
            input.append(java.util.Arrays.copyOfRange(ulaw, at, at + 160), Instant.now());
        }
        input.commit();

        var pcm = concatChunks(recorder);
        assertThat(pcm.length).isBetween(15900, 16000);
        assertThat(Signals.zeroCrossingFrequency(pcm, 800, 15200, 16000)).isCloseTo(1000, within(0.5));
        // mu-law quantisation costs a little: level within 0.3 dB
        assertThat(Signals.db(Signals.goertzel(pcm, 800, 15200, 1000, 16000) / 0.5)).isCloseTo(0, within(0.3));
    }

    static byte[] toBytes(short[] samples) {
        var bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return bytes;
    }

    private static short[] concatChunks(Recorder recorder) {
        var all = recorder.chunks.stream().map(c -> {
            var s = new short[c.samples()];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((c.pcm()[2 * i] & 0xFF) | (c.pcm()[2 * i + 1] << 8));
            }
            return s;
        }).toArray(short[][]::new);
        return concat(all);
    }
}
