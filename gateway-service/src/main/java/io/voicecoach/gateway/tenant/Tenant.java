package io.voicecoach.gateway.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "tenants")
public class Tenant extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";

    @Id
    public String id;

    public String name;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
