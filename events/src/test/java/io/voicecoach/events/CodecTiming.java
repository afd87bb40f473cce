package io.voicecoach.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A quick loop, run by hand: encode and decode cost per event of the untyped envelope (before) and of the codec
 * (after), for the hot path's records. {@code java -cp <events classes, test classes, jackson> io.voicecoach.events.CodecTiming}
 */
public final class CodecTiming {

    private static volatile Object sink;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        var samples = EventSamples.all();
        for (Payload payload : List.of(samples.get(8), samples.get(10), samples.get(20))) {
            var event = Event.of(UUID.randomUUID(), "acme", "sess_1", 7, EventSamples.AT, "coaching-service", payload);
            var envelope = new Envelope(event.eventId(), event.type(), event.schemaVersion(), event.tenantId(),
                    event.sessionId(), event.seq(), event.occurredAt(), event.producer(), EventJson.tree(payload));
            byte[] bytes = EventCodec.encode(event);
            Class<?> payloadType = payload.getClass();
            for (int pass = 0; pass < 3; pass++) {
                long encodeBefore = time(rounds, () -> EventJson.encode(new Envelope(envelope.eventId(), envelope.type(), 1,
                        "acme", "sess_1", 7, EventSamples.AT, "coaching-service", EventJson.tree(payload)))
                        .getBytes(StandardCharsets.UTF_8));
                long encodeAfter = time(rounds, () -> EventCodec.encode(event));
                long decodeBefore = time(rounds, () -> EventJson.decode(bytes).payloadAs(payloadType));
                long decodeAfter = time(rounds, () -> EventCodec.decode(bytes));
                System.out.printf("%-20s %4d bytes  encode %5d -> %5d ns  decode %5d -> %5d ns%n", event.type(),
                        bytes.length, encodeBefore, encodeAfter, decodeBefore, decodeAfter);
            }
        }
    }

    private static long time(int rounds, java.util.function.Supplier<Object> work) {
        for (int i = 0; i < rounds / 4; i++) {
            sink = work.get();
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            sink = work.get();
        }
        return (System.nanoTime() - start) / rounds;
    }

    private CodecTiming() {
    }
}
