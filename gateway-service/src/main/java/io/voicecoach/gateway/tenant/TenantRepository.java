package io.voicecoach.gateway.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

    /** Idempotent and safe when several instances bootstrap at once. */
    public void insertIfAbsent(String id, String name) {
        getEntityManager().createNativeQuery(
                        "insert into tenants (id, name, status) values (?1, ?2, 'active') on conflict (id) do nothing")
                .setParameter(1, id)
                .setParameter(2, name)
                .executeUpdate();
    }
}
