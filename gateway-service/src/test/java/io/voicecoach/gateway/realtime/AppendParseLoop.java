package io.voicecoach.gateway.realtime;

import io.voicecoach.events.Track;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * Not a test: a JMH-free loop that measures what the gateway does with one {@code input_audio_buffer.append} frame
 * before the audio reaches its track (bind, dispatch on the family and the record, base64 decode, track), in CPU
 * time of the measuring thread so other load on the machine counts less. Run it from the module after
 * {@code test-compile}: {@code java -cp target/test-classes:target/classes:<dependencies> \
 * io.voicecoach.gateway.realtime.AppendParseLoop [rounds]}.
 */
public final class AppendParseLoop {

    private static final int FRAMES_PER_ROUND = 200_000;
    private static volatile Object sink;

    public static void main(String[] args) {
        var pcm = new byte[4800]; // 100 ms of 24 kHz PCM16: 6,400 characters of base64
        new Random(1).nextBytes(pcm);
        byte[] frame = ("{\"type\":\"input_audio_buffer.append\",\"event_id\":\"evt_123\",\"audio\":\""
                + Base64.getEncoder().encodeToString(pcm) + "\"}").getBytes(StandardCharsets.UTF_8);
        var threads = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        for (int round = 0; round < rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < FRAMES_PER_ROUND; i++) {
                sink = handle(RealtimeJson.read(frame));
            }
            long cpu = threads.getCurrentThreadCpuTime() - start;
            System.out.printf("records: %d frames of %d bytes, %.2f us CPU per frame%n", FRAMES_PER_ROUND,
                    frame.length, cpu / 1e3 / FRAMES_PER_ROUND);
        }
    }

    /** The dispatch ClientEvents and InputAudioHandler do, down to the decoded audio of its track. */
    private static Object handle(ClientEvent event) {
        return switch (event) {
            case InputAudioEvent audio -> switch (audio) {
                case InputAudioEvent.Append append -> {
                    byte[] decoded = Base64.getDecoder().decode(append.audio());
                    yield TrackOption.trackOr(append.voicecoach(), Track.CUSTOMER).length() + decoded.length;
                }
                case InputAudioEvent.Commit commit -> commit;
                case InputAudioEvent.Clear clear -> clear;
            };
            default -> event;
        };
    }

    private AppendParseLoop() {
    }
}
