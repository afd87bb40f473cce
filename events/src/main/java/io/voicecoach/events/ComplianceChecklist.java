package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The call's compliance checklist against the tenant's playbook, whole, each time it changes: at the start, when a
 * must-say phrase is said, a must-not-say phrase is used or a must-say deadline passes, and once more when the call
 * ended ({@code closed}: every must-say item still pending is then {@code missed}).
 *
 * @param items  the playbook's rules in its order, must-say first
 * @param closed true for the end-of-call checklist
 */
@RegisterForReflection
public record ComplianceChecklist(List<Item> items, boolean closed) implements CoachingEvent {

    public static final String MUST_SAY = "must_say";
    public static final String MUST_NOT_SAY = "must_not_say";
    public static final String PENDING = "pending";
    public static final String SAID = "said";
    public static final String MISSED = "missed";
    public static final String KEPT = "kept";
    public static final String BROKEN = "broken";

    public ComplianceChecklist {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /**
     * @param ruleId      the playbook rule's id
     * @param kind        {@link #MUST_SAY} or {@link #MUST_NOT_SAY}
     * @param status      must-say: {@link #PENDING}, {@link #SAID} or {@link #MISSED}; must-not-say: {@link #KEPT}
     *                    or {@link #BROKEN}
     * @param message     what the playbook tells the rep about it
     * @param withinMs    a must-say rule's deadline in call time; 0 for must-not-say
     * @param utteranceId the utterance that said (or broke) it; null otherwise
     */
    @RegisterForReflection
    public record Item(String ruleId, String kind, String status, String message, long withinMs, String utteranceId) {
    }
}
