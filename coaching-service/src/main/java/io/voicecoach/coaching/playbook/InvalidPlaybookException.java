package io.voicecoach.coaching.playbook;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The playbook cannot be used: each violation names the JSON path of the offending field. */
public class InvalidPlaybookException extends RuntimeException {

    /** @param path JSON path of the offending field, {@code $} for the whole document */
    @RegisterForReflection
    public record Violation(String path, String message) {
        @Override
        public String toString() {
            return path + " " + message;
        }
    }

    private final List<Violation> violations;

    public InvalidPlaybookException(String message) {
        super(message);
        this.violations = List.of(new Violation("$", message));
    }

    public InvalidPlaybookException(String message, Throwable cause) {
        super(message, cause);
        this.violations = List.of(new Violation("$", message));
    }

    public InvalidPlaybookException(String message, List<Violation> violations, Throwable cause) {
        super(message, cause);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
