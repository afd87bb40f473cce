package io.voicecoach.bench.coaching;

import io.voicecoach.events.Track;

import java.util.List;

/**
 * The lines {@link SuggestionHopBench} sends, written for it (not taken from the evaluation set or the playbook).
 * {@code intended} is what the line was written to be; the service decides what it is. Customer lines last about as
 * long as they take to say; rep lines are given long talk times so that the rep dominates the talk time and the
 * service's nudges fire.
 */
final class HopUtterances {

    static final String OBJECTION = "objection";
    static final String BUYING_SIGNAL = "buying_signal";
    static final String NEUTRAL = "neutral";
    static final String REP = "rep";

    private static final long REP_TURN_MS = 40_000;
    private static final long MS_PER_WORD = 400;

    record Line(String track, String intended, String text) {

        long durationMs() {
            return track.equals(Track.AGENT) ? REP_TURN_MS : text.split("\\s+").length * MS_PER_WORD;
        }
    }

    static final List<Line> ALL = List.of(
            customer(OBJECTION, "That figure is way more than we budgeted for this year."),
            customer(OBJECTION, "Honestly it costs too much for a team our size."),
            customer(OBJECTION, "Let's revisit this once our busy season wraps up in spring."),
            customer(OBJECTION, "We just cannot take on a new rollout this month."),
            customer(OBJECTION, "I would have to run this past our finance director before anything happens."),
            customer(OBJECTION, "The final call sits with the board, not with me."),
            customer(OBJECTION, "We got a cheaper quote from Initech last week."),
            customer(OBJECTION, "Hooli already showed us something very similar."),
            customer(OBJECTION, "Honestly I doubt my team would ever open this thing."),
            customer(OBJECTION, "Our crew gets along fine without a tool like this."),
            customer(OBJECTION, "How do I know your company will still be around in two years?"),
            customer(OBJECTION, "I've heard mixed things about how slow your support is."),
            customer(OBJECTION, "We have run everything on spreadsheets for ten years and it works."),
            customer(OBJECTION, "Switching systems again sounds like more trouble than it is worth."),
            customer(BUYING_SIGNAL, "If we signed this week, when could my team start using it?"),
            customer(BUYING_SIGNAL, "Can you send over the paperwork so I can review the terms?"),
            customer(BUYING_SIGNAL, "What would onboarding look like for about thirty users?"),
            customer(BUYING_SIGNAL, "Is there a better rate if we commit to two years up front?"),
            customer(BUYING_SIGNAL, "Who on your side would be our contact once we sign?"),
            customer(BUYING_SIGNAL, "I'd like to get our IT lead on a call to plan the setup."),
            customer(BUYING_SIGNAL, "Could we start with a pilot for one department next month?"),
            customer(BUYING_SIGNAL, "That sounds good, so what are the next steps from here?"),
            customer(NEUTRAL, "Sorry, the connection dropped for a second there."),
            customer(NEUTRAL, "I'm calling from the warehouse so it may be a bit noisy."),
            customer(NEUTRAL, "We have about forty people across two offices."),
            customer(NEUTRAL, "Right now we track orders in a shared inbox."),
            customer(NEUTRAL, "Give me a moment to pull up my notes."),
            customer(NEUTRAL, "Our books close at the end of June."),
            customer(NEUTRAL, "Yes, I can see your screen now."),
            customer(NEUTRAL, "My colleague Dana might join us in a few minutes."),
            customer(NEUTRAL, "It has been raining here since Monday, sorry about the noise."),
            customer(NEUTRAL, "We mostly sell to restaurants and small hotels."),
            rep("Let me walk you through how the dashboard pulls every order into one view, then the alerts, and "
                    + "after that the reporting module our bigger customers rely on."),
            rep("Pricing is per seat per month with the first three seats included, the annual plan brings that "
                    + "down further, and onboarding is free for teams under fifty."),
            rep("We connect to most accounting packages out of the box, and for anything custom our engineers build "
                    + "the connector during your first month at no extra cost."),
            rep("Another thing worth mentioning is the mobile app, which lets your drivers confirm a delivery with "
                    + "a photo that syncs back to the office straight away."),
            rep("Support is there around the clock by chat and phone, and every account gets a named success manager "
                    + "who checks in each quarter."),
            rep("What does your current process look like when an order changes after it was confirmed?"),
            rep("Just to recap, you would get the core platform, the mobile app and the reporting add-on, and I can "
                    + "put a proposal together that covers all of it."),
            rep("I also want to show you the audit trail, because hotel customers tell us that is what saved them "
                    + "during inspections."));

    private static Line customer(String intended, String text) {
        return new Line(Track.CUSTOMER, intended, text);
    }

    private static Line rep(String text) {
        return new Line(Track.AGENT, REP, text);
    }

    private HopUtterances() {
    }
}
