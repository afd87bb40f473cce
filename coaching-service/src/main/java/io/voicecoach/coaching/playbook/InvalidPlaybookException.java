package io.voicecoach.coaching.playbook;

/** The playbook cannot be used; thrown at start-up so a broken playbook never coaches anyone. */
public class InvalidPlaybookException extends RuntimeException {
    public InvalidPlaybookException(String message) {
        super(message);
    }

    public InvalidPlaybookException(String message, Throwable cause) {
        super(message, cause);
    }
}
