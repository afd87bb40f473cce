package io.voicecoach.bench.load;

import io.voicecoach.devstack.SampleCall;

import java.util.List;

/**
 * The turns every simulated call plays, in order. Coaching calls play the launcher's scripted 15-turn sales call
 * (devstack {@code sample-call.json}: rep and customer alternate, six customer turns expect a suggestion); voice-agent
 * calls play a caller booking a service with the local scripted LLM's service desk (devstack {@code --llm}).
 */
public record Script(List<Turn> turns) {

    public static final String AGENT = "agent";
    public static final String CUSTOMER = "customer";
    /** espeak-ng voices per track: different speakers, and the customer's is the one the bundled engine hears best. */
    static final String AGENT_VOICE = "en-us";
    static final String CUSTOMER_VOICE = "en-us+f2";
    static final int WORDS_PER_MINUTE = 160;

    /**
     * @param expectKind     the suggestion kind coaching should emit for this turn, null for none
     * @param expectCategory its category, null for none
     */
    public record Turn(int number, String track, String text, String expectKind, String expectCategory) {

        public String voice() {
            return AGENT.equals(track) ? AGENT_VOICE : CUSTOMER_VOICE;
        }

        public boolean expectsSuggestion() {
            return expectKind != null;
        }

        /** How long saying it takes at {@link #WORDS_PER_MINUTE}: the pace of typed turns. */
        public int spokenMillis() {
            return text.trim().split("\\s+").length * 60_000 / WORDS_PER_MINUTE;
        }
    }

    public Script {
        turns = List.copyOf(turns);
    }

    public static Script coaching() {
        return new Script(SampleCall.turns().stream().map(t -> new Turn(t.turn(), t.track(), t.text(),
                t.expect() == null ? null : t.expect().kind(), t.expect() == null ? null : t.expect().category()))
                .toList());
    }

    /** A caller of the demo dealership: two bookings (each a lookup, a slot search and a booking), then goodbye. */
    public static Script serviceDesk() {
        return new Script(List.of(
                new Turn(1, CUSTOMER, "Hello, I would like to book an oil change for my car please.", null, null),
                new Turn(2, CUSTOMER, "Great. Can you also book a brake inspection?", null, null),
                new Turn(3, CUSTOMER, "Thank you, that is all for today. Goodbye.", null, null)));
    }

    public static Script of(LoadOptions.Mode mode) {
        return mode == LoadOptions.Mode.AGENT ? serviceDesk() : coaching();
    }

    /** The tracks the calls send: both for coaching, only the caller's for the voice agent. */
    public List<String> tracks() {
        return turns.stream().map(Turn::track).distinct().sorted().toList();
    }
}
