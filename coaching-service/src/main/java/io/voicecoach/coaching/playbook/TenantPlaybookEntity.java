package io.voicecoach.coaching.playbook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which of a tenant's playbook versions is active (0: the bundled default) and the latest version number. */
@Entity
@Table(name = "tenant_playbooks")
public class TenantPlaybookEntity extends PanacheEntityBase {

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "active_version", nullable = false)
    public int activeVersion;

    @Column(name = "latest_version", nullable = false)
    public int latestVersion;
}
