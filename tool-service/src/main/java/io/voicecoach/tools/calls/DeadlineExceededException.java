package io.voicecoach.tools.calls;

/** A call ran past its {@link Deadline}: its transaction is rolled back, then a {@code timeout} result recorded. */
class DeadlineExceededException extends RuntimeException {
    DeadlineExceededException(String message) {
        super(message);
    }
}
