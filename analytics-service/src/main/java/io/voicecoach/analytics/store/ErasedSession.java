package io.voicecoach.analytics.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A session deleted on request (right to erasure); its late events are dropped instead of stored again. */
@Entity
@Table(name = "erased_sessions")
public class ErasedSession extends PanacheEntityBase {

    @Id
    @Column(name = "session_id")
    public String sessionId;
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(name = "erased_at", insertable = false, updatable = false)
    public Instant erasedAt;

    public static boolean isErased(String sessionId) {
        return findById(sessionId) != null;
    }
}
