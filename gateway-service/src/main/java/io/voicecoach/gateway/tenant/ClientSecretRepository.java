package io.voicecoach.gateway.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class ClientSecretRepository implements PanacheRepositoryBase<ClientSecret, String> {

    public Optional<ClientSecret> findByHash(String secretHash) {
        return find("secretHash", secretHash).firstResultOptional();
    }

    /** Forgets secrets that expired before {@code before}; returns how many. */
    public long deleteExpired(Instant before) {
        return delete("expiresAt < ?1", before);
    }
}
