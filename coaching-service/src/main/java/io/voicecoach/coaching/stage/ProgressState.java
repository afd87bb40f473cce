package io.voicecoach.coaching.stage;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.HashSet;
import java.util.Set;

/** Where one call stands against the playbook: its stage, the must-say rules said, and those already nudged about. */
@RegisterForReflection
public final class ProgressState {

    private String stage;
    private final Set<String> said = new HashSet<>();
    private final Set<String> nudged = new HashSet<>();

    public String stage() {
        return stage;
    }

    void stage(String stage) {
        this.stage = stage;
    }

    Set<String> said() {
        return said;
    }

    Set<String> nudged() {
        return nudged;
    }
}
