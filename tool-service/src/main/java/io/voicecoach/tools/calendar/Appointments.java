package io.voicecoach.tools.calendar;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Appointment queries; each one takes the tenant. */
@ApplicationScoped
public class Appointments implements PanacheRepositoryBase<AppointmentEntity, UUID> {

    public Optional<AppointmentEntity> byId(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
    }

    public List<AppointmentEntity> upcoming(String tenantId, UUID customerId, Instant after, int limit) {
        return find("tenantId = ?1 and customerId = ?2 and status = ?3 and endsAt > ?4 order by startsAt",
                tenantId, customerId, AppointmentEntity.BOOKED, after).page(0, limit).list();
    }

    public long countBooked(String tenantId, Instant startsAt) {
        return count("tenantId = ?1 and startsAt = ?2 and status = ?3", tenantId, startsAt, AppointmentEntity.BOOKED);
    }
}
