package io.voicecoach.tools.battlecard;

import java.util.Arrays;
import java.util.List;

/** The objection categories a battle card answers; {@link #wire()} is the value in arguments and the database. */
public enum ObjectionCategory {
    PRICE, TIMING, AUTHORITY, NEED, COMPETITOR, TRUST, STATUS_QUO;

    public static final List<String> WIRE_VALUES = Arrays.stream(values()).map(ObjectionCategory::wire).toList();

    public String wire() {
        return name().toLowerCase();
    }
}
