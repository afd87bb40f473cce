package io.voicecoach.events;

/** Speaker tracks of a call. */
public final class Track {
    /** The rep (or, in agent mode, the voice agent). */
    public static final String AGENT = "agent";
    /** The far end of the call. */
    public static final String CUSTOMER = "customer";

    public static boolean isValid(String track) {
        return AGENT.equals(track) || CUSTOMER.equals(track);
    }

    private Track() {
    }
}
