package io.voicecoach.tools.battlecard;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/** Battle card queries; each one takes the tenant, so no query can cross tenants. */
@ApplicationScoped
public class BattleCards implements PanacheRepositoryBase<BattleCardEntity, UUID> {

    public Optional<BattleCardEntity> forCompetitor(String tenantId, String category, String competitor) {
        return find("tenantId = ?1 and category = ?2 and competitor = ?3", tenantId, category, competitor.toLowerCase())
                .firstResultOptional();
    }

    public Optional<BattleCardEntity> generic(String tenantId, String category) {
        return find("tenantId = ?1 and category = ?2 and competitor is null", tenantId, category).firstResultOptional();
    }

    public long countForTenant(String tenantId) {
        return count("tenantId", tenantId);
    }
}
