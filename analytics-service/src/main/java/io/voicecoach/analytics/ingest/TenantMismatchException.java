package io.voicecoach.analytics.ingest;

/** An event names a session that belongs to another tenant; it is refused and parked in the dead-letter topic. */
public class TenantMismatchException extends RuntimeException {
    public TenantMismatchException(String message) {
        super(message);
    }
}
