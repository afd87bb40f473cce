package io.voicecoach.bench.gateway;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A two-speaker conversation of espeak-ng speech at 24 kHz PCM16: the agent's and the customer's tracks take turns
 * (each track is silent while the other speaks), cut into ready-to-send {@code input_audio_buffer.append} frames of
 * {@link #FRAME_MS} ms. Legs loop over their track from a random offset.
 */
public record CallAudio(List<String> agentFrames, List<String> customerFrames, double speechShare) {

    public static final int FRAME_MS = 100;
    static final int RATE = 24000;
    private static final int FRAME_BYTES = RATE * FRAME_MS / 1000 * 2;

    private static final String[][] TURNS = {
            {"agent", "en-us", "Thanks for taking the call today. How is the new showroom working out for you?"},
            {"customer", "en-gb", "Honestly it is busy, but the price of your plan is too high for us this quarter."},
            {"agent", "en-us", "I understand. Can I ask what budget you had planned for the rollout?"},
            {"customer", "en-gb", "We already work with another vendor and we are mostly happy with them."},
            {"agent", "en-us", "That makes sense. What would have to change for you to consider switching?"},
            {"customer", "en-gb", "Faster onboarding, and I need to talk to my manager before we sign anything."},
            {"agent", "en-us", "Of course. Shall we book a short demo with your manager next Tuesday?"},
            {"customer", "en-gb", "Sure, send me the contract and the invite by Friday."},
    };

    public static CallAudio synthesize(Path dir) throws Exception {
        var agent = new java.io.ByteArrayOutputStream();
        var customer = new java.io.ByteArrayOutputStream();
        long speech = 0;
        for (int i = 0; i < TURNS.length; i++) {
            var wav = dir.resolve("turn" + i + ".wav");
            var raw = dir.resolve("turn" + i + ".raw");
            run("espeak-ng", "-v", TURNS[i][1], "-s", "165", "-w", wav.toString(), TURNS[i][2]);
            run("sox", wav.toString(), "-r", String.valueOf(RATE), "-c", "1", "-b", "16", "-e", "signed-integer",
                    "-L", "-t", "raw", raw.toString(), "pad", "0", "0.8");
            var pcm = Files.readAllBytes(raw);
            speech += pcm.length;
            var silence = new byte[pcm.length];
            if (TURNS[i][0].equals("agent")) {
                agent.writeBytes(pcm);
                customer.writeBytes(silence);
            } else {
                customer.writeBytes(pcm);
                agent.writeBytes(silence);
            }
        }
        var agentPcm = agent.toByteArray();
        return new CallAudio(frames(agentPcm, "agent"), frames(customer.toByteArray(), "customer"),
                speech / 2.0 / agentPcm.length);
    }

    double loopSeconds() {
        return agentFrames.size() * FRAME_MS / 1000.0;
    }

    private static List<String> frames(byte[] pcm, String track) {
        var frames = new ArrayList<String>();
        for (int at = 0; at + FRAME_BYTES <= pcm.length; at += FRAME_BYTES) {
            var frame = ByteBuffer.wrap(pcm, at, FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            var bytes = new byte[FRAME_BYTES];
            frame.get(bytes);
            frames.add("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(bytes)
                    + "\",\"voicecoach\":{\"track\":\"" + track + "\"}}");
        }
        return List.copyOf(frames);
    }

    private static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
