package io.voicecoach.coaching.playbook;

import java.time.Instant;

/**
 * A playbook version of a tenant.
 *
 * @param version   1.. for stored versions, {@link #DEFAULT_VERSION} for the bundled default
 * @param createdAt null for the bundled default
 */
public record StoredPlaybook(String tenantId, int version, boolean active, Instant createdAt, Playbook playbook) {

    public static final int DEFAULT_VERSION = 0;
}
