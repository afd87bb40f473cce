package io.voicecoach.bench.gateway;

import io.voicecoach.bench.load.AppendFrames;
import io.voicecoach.bench.load.SpeechCache;

import java.nio.file.Path;
import java.util.List;

/**
 * A two-speaker conversation of espeak-ng speech at 24 kHz PCM16: the agent's and the customer's tracks take turns
 * (each track is silent while the other speaks), cut into ready-to-send {@code input_audio_buffer.append} frames of
 * {@link #FRAME_MS} ms. Legs loop over their track from a random offset.
 */
public record CallAudio(List<String> agentFrames, List<String> customerFrames, double speechShare) {

    public static final int FRAME_MS = AppendFrames.FRAME_MS;
    private static final double PAUSE_S = 0.8;

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

    /** Speaks the turns (espeak-ng, sox), keeping the speech in {@code dir} for the next run. */
    public static CallAudio synthesize(Path dir) throws Exception {
        var cache = new SpeechCache(dir);
        var agent = new java.io.ByteArrayOutputStream();
        var customer = new java.io.ByteArrayOutputStream();
        long speech = 0;
        for (String[] turn : TURNS) {
            var said = cache.pcm(turn[1], 165, turn[2]);
            var pcm = java.util.Arrays.copyOf(said, said.length + (int) (PAUSE_S * SpeechCache.RATE) * 2);
            speech += pcm.length;
            var silence = new byte[pcm.length];
            (turn[0].equals("agent") ? agent : customer).writeBytes(pcm);
            (turn[0].equals("agent") ? customer : agent).writeBytes(silence);
        }
        var agentPcm = agent.toByteArray();
        return new CallAudio(AppendFrames.of(agentPcm, "agent"), AppendFrames.of(customer.toByteArray(), "customer"),
                speech / 2.0 / agentPcm.length);
    }

    double loopSeconds() {
        return agentFrames.size() * FRAME_MS / 1000.0;
    }
}
