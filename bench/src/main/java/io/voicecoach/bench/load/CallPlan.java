package io.voicecoach.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

/**
 * What every call of a run shares: where to connect, the script and (speech input) its audio, the timing rules.
 *
 * @param audio       one {@link TurnAudio} per script turn for speech input; empty for typed turns
 * @param repId       {@code voicecoach.rep_id} of every session of the run: analytics can be asked about it alone
 * @param gapFrames   frames between the end of one turn and the start of the next
 * @param replyFrames voice agent: frames the caller waits for a reply before going on
 * @param tailFrames  frames after the last turn the call stays up at most, waiting for what is still due
 */
record CallPlan(URI realtime, String apiKey, HttpClient http, LoadOptions.Mode mode, LoadOptions.Input input, int legs,
                Script script, List<TurnAudio> audio, int silenceMs, String repId, int gapFrames, int replyFrames,
                int tailFrames) {

    CallPlan {
        audio = List.copyOf(audio);
        legs = mode == LoadOptions.Mode.AGENT ? 1 : legs; // the voice agent answers the caller's own session
        if (input == LoadOptions.Input.SPEECH && audio.size() != script.turns().size()) {
            throw new IllegalArgumentException("speech input needs the audio of every turn");
        }
    }

    static CallPlan of(LoadOptions options, HttpClient http, Script script, List<TurnAudio> audio, String repId) {
        int frame = AppendFrames.FRAME_MS;
        return new CallPlan(options.realtimeUrl(), options.apiKey(), http, options.mode(), options.input(),
                options.legs(), script, audio, options.silenceMs(), repId, options.gapMs() / frame,
                (int) (options.replyTimeout().toMillis() / frame), (int) (options.tail().toMillis() / frame));
    }

    boolean speech() {
        return input == LoadOptions.Input.SPEECH;
    }

    boolean agent() {
        return mode == LoadOptions.Mode.AGENT;
    }

    /** Frames the turn takes: its audio, or for typed turns the time saying it would take. */
    int frames(int turn) {
        return speech() ? audio.get(turn).frameCount()
                : Math.max(1, (script.turns().get(turn).spokenMillis() + AppendFrames.FRAME_MS - 1)
                / AppendFrames.FRAME_MS);
    }

    /** Speech start and end within the turn, in ms from its first frame. */
    int[] speechMillis(int turn) {
        return speech() ? new int[] {audio.get(turn).speechStartMs(), audio.get(turn).speechEndMs()}
                : new int[] {0, frames(turn) * AppendFrames.FRAME_MS};
    }

    /** The {@code session.update} a leg sends first. */
    String sessionUpdate(String callId, String role) {
        var frame = Leg.JSON.createObjectNode().put("type", "session.update");
        var session = frame.putObject("session").put("type", "realtime");
        var input = session.putObject("audio").putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", SpeechCache.RATE);
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", silenceMs);
        session.putObject("voicecoach").put("call_id", callId).put("rep_id", repId).put("role", role)
                .put("mode", agent() ? "agent" : "coach");
        return frame.toString();
    }
}
