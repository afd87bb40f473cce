package io.voicecoach.tools.calendar;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** Loads a tenant's {@link Calendar}; callers run inside a transaction. */
@ApplicationScoped
public class Calendars {

    private final EntityManager entityManager;

    public Calendars(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Optional<Calendar> of(String tenantId) {
        List<?> calendar = entityManager.createNativeQuery(
                        "SELECT timezone, slot_minutes FROM calendars WHERE tenant_id = :tenant")
                .setParameter("tenant", tenantId).getResultList();
        if (calendar.isEmpty()) {
            return Optional.empty();
        }
        var row = (Object[]) calendar.getFirst();
        var hours = new EnumMap<DayOfWeek, Calendar.Hours>(DayOfWeek.class);
        rows("SELECT weekday, opens, closes FROM business_hours WHERE tenant_id = :tenant", tenantId).forEach(h ->
                hours.put(DayOfWeek.of(((Number) h[0]).intValue()), new Calendar.Hours(time(h[1]), time(h[2]))));
        var bays = rows("SELECT id, name FROM bays WHERE tenant_id = :tenant ORDER BY id", tenantId).stream()
                .map(b -> (String) b[0]).toList();
        var types = new LinkedHashMap<String, Calendar.ServiceType>();
        rows("SELECT code, name, duration_minutes FROM service_types WHERE tenant_id = :tenant ORDER BY code", tenantId)
                .forEach(t -> types.put((String) t[0],
                        new Calendar.ServiceType((String) t[0], (String) t[1], ((Number) t[2]).intValue())));
        return Optional.of(new Calendar(tenantId, ZoneId.of((String) row[0]), ((Number) row[1]).intValue(),
                hours, bays, types));
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, String tenantId) {
        return entityManager.createNativeQuery(sql).setParameter("tenant", tenantId).getResultList();
    }

    private static LocalTime time(Object value) {
        return value instanceof java.sql.Time t ? t.toLocalTime() : (LocalTime) value;
    }
}
