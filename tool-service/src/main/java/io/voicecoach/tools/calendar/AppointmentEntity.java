package io.voicecoach.tools.calendar;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "appointments")
public class AppointmentEntity extends PanacheEntityBase {

    public static final String BOOKED = "booked";
    public static final String CANCELLED = "cancelled";

    @Id
    @GeneratedValue
    public UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "customer_id", nullable = false, updatable = false)
    public UUID customerId;

    @Column(name = "service_type", nullable = false)
    public String serviceType;

    @Column(name = "bay_id")
    public String bayId;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    @Column(nullable = false)
    public String status;

    public String vin;

    public String notes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();
}
