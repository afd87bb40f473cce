package io.voicecoach.gateway.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A short-lived credential minted with an API key for a browser; only its SHA-256 is stored. */
@Entity
@Table(name = "client_secrets")
public class ClientSecret extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    /** The key that minted it: revoking the key revokes its secrets. */
    @Column(name = "api_key_id")
    public String apiKeyId;

    @Column(name = "secret_hash")
    public String secretHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The leg of a call it is bound to (both or neither), null when not bound to one. */
    @Column(name = "call_id")
    public String callId;

    @Column(name = "role")
    public String role;

    /** The only session it may resume, null when not bound to one. */
    @Column(name = "session_id")
    public String sessionId;

    public CredentialBinding binding() {
        return CredentialBinding.of(callId, role, sessionId);
    }
}
