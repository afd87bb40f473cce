package io.voicecoach.coaching.playbook;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' playbook versions in PostgreSQL. Every method is scoped by tenant; a tenant without a stored playbook
 * (or with version 0 active) is coached with the bundled default.
 */
@ApplicationScoped
public class PlaybookStore {

    private final PlaybookSource defaults;

    public PlaybookStore(PlaybookSource defaults) {
        this.defaults = defaults;
    }

    /** Stores {@code playbook} as the tenant's next version and activates it. */
    @Transactional
    public StoredPlaybook put(String tenantId, Playbook playbook) {
        var tenant = lockedTenant(tenantId);
        var entity = new PlaybookVersionEntity();
        entity.tenantId = tenantId;
        entity.version = tenant.latestVersion + 1;
        entity.name = playbook.name();
        entity.document = PlaybookLoader.toJson(playbook);
        entity.createdAt = Instant.now();
        entity.persist();
        tenant.latestVersion = entity.version;
        tenant.activeVersion = entity.version;
        return new StoredPlaybook(tenantId, entity.version, true, entity.createdAt, playbook);
    }

    /** Makes {@code version} (0: the bundled default) active; empty when the tenant has no such version. */
    @Transactional
    public Optional<StoredPlaybook> activate(String tenantId, int version) {
        var tenant = lockedTenant(tenantId);
        var found = find(tenantId, version, version);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        tenant.activeVersion = version;
        return found;
    }

    /** Activates the newest version older than the active one (the default when there is none). */
    @Transactional
    public StoredPlaybook rollback(String tenantId) {
        var tenant = lockedTenant(tenantId);
        Integer previous = PlaybookVersionEntity.find(
                        "select max(p.version) from PlaybookVersionEntity p where p.tenantId = ?1 and p.version < ?2",
                        tenantId, tenant.activeVersion)
                .project(Integer.class).firstResult();
        tenant.activeVersion = previous == null ? StoredPlaybook.DEFAULT_VERSION : previous;
        return find(tenantId, tenant.activeVersion, tenant.activeVersion).orElseThrow();
    }

    @Transactional
    public StoredPlaybook active(String tenantId) {
        int active = activeVersion(tenantId);
        return find(tenantId, active, active).orElseGet(() -> defaultFor(tenantId, true));
    }

    /** The active version number, 0 when the tenant uses the bundled default. A cheap query for cache checks. */
    @Transactional
    public int activeVersion(String tenantId) {
        TenantPlaybookEntity tenant = TenantPlaybookEntity.findById(tenantId);
        return tenant == null ? StoredPlaybook.DEFAULT_VERSION : tenant.activeVersion;
    }

    @Transactional
    public Optional<StoredPlaybook> version(String tenantId, int version) {
        return find(tenantId, version, activeVersion(tenantId));
    }

    /** Every stored version, newest first, then the bundled default (version 0). */
    @Transactional
    public List<StoredPlaybook> versions(String tenantId) {
        int active = activeVersion(tenantId);
        List<PlaybookVersionEntity> stored = PlaybookVersionEntity.list("tenantId = ?1 order by version desc", tenantId);
        var all = new java.util.ArrayList<StoredPlaybook>(stored.size() + 1);
        stored.forEach(e -> all.add(toStored(e, active)));
        all.add(defaultFor(tenantId, active == StoredPlaybook.DEFAULT_VERSION));
        return all;
    }

    private Optional<StoredPlaybook> find(String tenantId, int version, int active) {
        if (version == StoredPlaybook.DEFAULT_VERSION) {
            return Optional.of(defaultFor(tenantId, active == StoredPlaybook.DEFAULT_VERSION));
        }
        return PlaybookVersionEntity.<PlaybookVersionEntity>find("tenantId = ?1 and version = ?2", tenantId, version)
                .firstResultOptional().map(e -> toStored(e, active));
    }

    private TenantPlaybookEntity lockedTenant(String tenantId) {
        Panache.getEntityManager().createNativeQuery(
                        "insert into tenant_playbooks (tenant_id, active_version, latest_version) values (?1, 0, 0) "
                                + "on conflict (tenant_id) do nothing")
                .setParameter(1, tenantId).executeUpdate();
        return TenantPlaybookEntity.findById(tenantId, LockModeType.PESSIMISTIC_WRITE);
    }

    private StoredPlaybook defaultFor(String tenantId, boolean active) {
        return new StoredPlaybook(tenantId, StoredPlaybook.DEFAULT_VERSION, active, null, defaults.playbook());
    }

    private static StoredPlaybook toStored(PlaybookVersionEntity entity, int active) {
        var playbook = PlaybookLoader.parse("tenant " + entity.tenantId + " version " + entity.version, entity.document);
        return new StoredPlaybook(entity.tenantId, entity.version, entity.version == active, entity.createdAt, playbook);
    }
}
