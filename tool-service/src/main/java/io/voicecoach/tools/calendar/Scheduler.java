package io.voicecoach.tools.calendar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Availability and booking over a tenant's {@link Calendar}. An appointment holds its bay through one
 * {@code bay_slots} row per slot it covers; claiming uses {@code INSERT ... ON CONFLICT DO NOTHING}, so a booking
 * that loses a race to a concurrent one waits for it to commit, sees the rows taken and tries the next bay, without
 * an exception that would spoil the call's transaction. Runs inside the caller's transaction.
 */
@ApplicationScoped
// a ToolException (slot_taken, not_allowed...) is an answer, not a failure: it must not doom the call's transaction
@Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = ToolException.class)
public class Scheduler {

    /** Alternatives offered when a slot is taken. */
    static final int ALTERNATIVES = 3;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("EEEE d MMMM, HH:mm", Locale.ENGLISH);

    public record Slot(ZonedDateTime start, ZonedDateTime end, int baysFree) {
        public ObjectNode toJson() {
            var json = EventJson.MAPPER.createObjectNode();
            json.put("start", start.toOffsetDateTime().toString());
            json.put("end", end.toOffsetDateTime().toString());
            json.put("label", LABEL.format(start));
            json.put("baysFree", baysFree);
            return json;
        }
    }

    private final EntityManager entityManager;
    private final Appointments appointments;
    private final Clock clock;

    public Scheduler(EntityManager entityManager, Appointments appointments) {
        this.entityManager = entityManager;
        this.appointments = appointments;
        this.clock = Clock.systemUTC();
    }

    /** Free slots for the service on the days {@code from}..{@code to} (tenant's dates), earliest first. */
    public List<Slot> available(Calendar calendar, Calendar.ServiceType type, LocalDate from, LocalDate to, int limit) {
        var candidates = candidates(calendar, type, from, to);
        if (candidates.isEmpty()) {
            return List.of();
        }
        var taken = taken(calendar.tenantId(), candidates.getFirst().toInstant(),
                candidates.getLast().plus(type.duration()).toInstant());
        var slots = new ArrayList<Slot>();
        for (var start : candidates) {
            int free = freeBays(calendar, type, start, taken);
            if (free > 0) {
                slots.add(new Slot(start, start.plus(type.duration()), free));
                if (slots.size() == limit) {
                    break;
                }
            }
        }
        return slots;
    }

    /** Books the first bay free for the whole appointment, or throws {@code slot_taken} with alternatives. */
    public AppointmentEntity book(Calendar calendar, Calendar.ServiceType type, UUID customerId, ZonedDateTime start,
                                  String vin, String notes) {
        checkBookable(calendar, type, start);
        var appointment = new AppointmentEntity();
        appointment.tenantId = calendar.tenantId();
        appointment.customerId = customerId;
        appointment.serviceType = type.code();
        appointment.startsAt = start.toInstant();
        appointment.endsAt = start.plus(type.duration()).toInstant();
        appointment.status = AppointmentEntity.BOOKED;
        appointment.vin = vin;
        appointment.notes = notes;
        appointments.persistAndFlush(appointment);
        for (String bay : calendar.bays()) {
            if (claim(calendar, bay, appointment)) {
                appointment.bayId = bay;
                return appointment;
            }
        }
        appointments.delete(appointment);
        appointments.flush();
        throw slotTaken(calendar, type, start);
    }

    /** Moves a booked appointment, keeping its bay when it is free; the old slot is kept if the new one is taken. */
    public AppointmentEntity reschedule(Calendar calendar, AppointmentEntity appointment, ZonedDateTime start) {
        var type = serviceType(calendar, appointment.serviceType);
        checkBookable(calendar, type, start);
        String oldBay = appointment.bayId;
        Instant oldStart = appointment.startsAt;
        Instant oldEnd = appointment.endsAt;
        release(appointment);
        appointment.startsAt = start.toInstant();
        appointment.endsAt = start.plus(type.duration()).toInstant();
        var bays = new ArrayList<String>();
        bays.add(oldBay);
        calendar.bays().stream().filter(b -> !b.equals(oldBay)).forEach(bays::add);
        for (String bay : bays) {
            if (claim(calendar, bay, appointment)) {
                appointment.bayId = bay;
                appointment.updatedAt = Instant.now();
                return appointment;
            }
        }
        appointment.startsAt = oldStart;
        appointment.endsAt = oldEnd;
        if (!claim(calendar, oldBay, appointment)) {
            throw new IllegalStateException("appointment " + appointment.id + " lost its own slot");
        }
        throw slotTaken(calendar, type, start);
    }

    public void cancel(AppointmentEntity appointment) {
        release(appointment);
        appointment.status = AppointmentEntity.CANCELLED;
        appointment.updatedAt = Instant.now();
    }

    public Calendar.ServiceType serviceType(Calendar calendar, String code) {
        var type = calendar.serviceTypes().get(code);
        if (type == null) {
            throw ToolException.invalidArguments("unknown service_type '" + code + "'; offered: "
                    + String.join(", ", calendar.serviceTypes().keySet()));
        }
        return type;
    }

    public Instant now() {
        return clock.instant();
    }

    private void checkBookable(Calendar calendar, Calendar.ServiceType type, ZonedDateTime start) {
        if (!start.toInstant().isAfter(now())) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "the start " + start.toOffsetDateTime() + " is in the past");
        }
        var hours = calendar.hoursOn(start.getDayOfWeek()).orElseThrow(() -> new ToolException(ToolErrors.NOT_ALLOWED,
                "closed on " + start.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH)));
        var time = start.toLocalTime();
        var end = time.plus(type.duration());
        long minuteOfDay = time.toSecondOfDay() / 60;
        if (time.getSecond() != 0 || time.getNano() != 0 || minuteOfDay % calendar.slotMinutes() != 0) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "appointments start on the " + calendar.slotMinutes()
                    + "-minute grid, e.g. " + hours.opens());
        }
        if (time.isBefore(hours.opens()) || end.isAfter(hours.closes()) || end.isBefore(time)) {
            throw new ToolException(ToolErrors.NOT_ALLOWED, "a " + type.durationMinutes() + "-minute "
                    + type.code() + " must fit within opening hours " + hours.opens() + "-" + hours.closes());
        }
    }

    private boolean claim(Calendar calendar, String bay, AppointmentEntity appointment) {
        long slots = Duration.between(appointment.startsAt, appointment.endsAt).toMinutes() / calendar.slotMinutes();
        slots = Math.max(1, slots + (Duration.between(appointment.startsAt, appointment.endsAt).toMinutes()
                % calendar.slotMinutes() == 0 ? 0 : 1));
        int inserted = entityManager.createNativeQuery("""
                        INSERT INTO bay_slots (tenant_id, bay_id, slot_start, appointment_id)
                        SELECT :tenant, :bay, CAST(:start AS timestamptz) + make_interval(mins => n * CAST(:step AS int)), :appointment
                          FROM generate_series(0, CAST(:count AS int) - 1) AS n
                        ON CONFLICT (tenant_id, bay_id, slot_start) DO NOTHING
                        """)
                .setParameter("tenant", calendar.tenantId())
                .setParameter("bay", bay)
                .setParameter("start", OffsetDateTime.ofInstant(appointment.startsAt, java.time.ZoneOffset.UTC))
                .setParameter("step", calendar.slotMinutes())
                .setParameter("count", (int) slots)
                .setParameter("appointment", appointment.id)
                .executeUpdate();
        if (inserted == slots) {
            return true;
        }
        entityManager.createNativeQuery("DELETE FROM bay_slots WHERE appointment_id = :appointment AND bay_id = :bay")
                .setParameter("appointment", appointment.id).setParameter("bay", bay).executeUpdate();
        return false;
    }

    private void release(AppointmentEntity appointment) {
        entityManager.createNativeQuery("DELETE FROM bay_slots WHERE appointment_id = :appointment")
                .setParameter("appointment", appointment.id).executeUpdate();
    }

    private ToolException slotTaken(Calendar calendar, Calendar.ServiceType type, ZonedDateTime start) {
        LocalDate day = start.toLocalDate();
        var nearest = available(calendar, type, day, day.plusDays(7), 200).stream()
                .sorted(Comparator.comparing((Slot s) -> Duration.between(start, s.start()).abs()))
                .limit(ALTERNATIVES)
                .sorted(Comparator.comparing(Slot::start))
                .toList();
        var details = EventJson.MAPPER.createObjectNode();
        details.put("requestedStart", start.toOffsetDateTime().toString());
        ArrayNode alternatives = details.putArray("alternatives");
        nearest.forEach(s -> alternatives.add(s.toJson()));
        return new ToolException(ToolErrors.SLOT_TAKEN, "the slot at " + start.toOffsetDateTime()
                + " is no longer free; offer one of the alternatives", details);
    }

    private List<ZonedDateTime> candidates(Calendar calendar, Calendar.ServiceType type, LocalDate from, LocalDate to) {
        var now = now();
        var starts = new ArrayList<ZonedDateTime>();
        for (var day = from; !day.isAfter(to); day = day.plusDays(1)) {
            var hours = calendar.hoursOn(day.getDayOfWeek());
            if (hours.isEmpty()) {
                continue;
            }
            var start = day.atTime(hours.get().opens()).atZone(calendar.zone());
            var closes = day.atTime(hours.get().closes()).atZone(calendar.zone());
            for (; !start.plus(type.duration()).isAfter(closes); start = start.plus(calendar.slot())) {
                if (start.toInstant().isAfter(now)) {
                    starts.add(start);
                }
            }
        }
        return starts;
    }

    private Map<String, Set<Instant>> taken(String tenantId, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                        SELECT bay_id, slot_start FROM bay_slots
                         WHERE tenant_id = :tenant AND slot_start >= :from AND slot_start < :to
                        """)
                .setParameter("tenant", tenantId)
                .setParameter("from", OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC))
                .setParameter("to", OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC))
                .getResultList();
        var taken = new HashMap<String, Set<Instant>>();
        rows.forEach(r -> taken.computeIfAbsent((String) r[0], b -> new HashSet<>()).add(instant(r[1])));
        return taken;
    }

    private static int freeBays(Calendar calendar, Calendar.ServiceType type, ZonedDateTime start,
                                Map<String, Set<Instant>> taken) {
        int free = 0;
        for (String bay : calendar.bays()) {
            var busy = taken.getOrDefault(bay, Set.of());
            boolean available = true;
            for (var slot = start; slot.isBefore(start.plus(type.duration())); slot = slot.plus(calendar.slot())) {
                if (busy.contains(slot.toInstant())) {
                    available = false;
                    break;
                }
            }
            if (available) {
                free++;
            }
        }
        return free;
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }
}
