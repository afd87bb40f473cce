package io.voicecoach.tools.seed;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.battlecard.DemoSeed;
import io.voicecoach.tools.calendar.Calendars;
import io.voicecoach.tools.calendar.Scheduler;
import io.voicecoach.tools.customer.CustomerEntity;
import io.voicecoach.tools.customer.Customers;
import io.voicecoach.tools.registry.TenantTools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Gives the demo tenants their data at start, each only if it has no customers yet: {@code seed-tenant} the demo
 * dealership ({@value #DEALERSHIP}), {@code saas-seed-tenant} the demo SaaS company ({@value #SAAS}). Both get the
 * demo battle cards too.
 */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);
    public static final String DEALERSHIP = "seed/demo-dealership.json";
    public static final String SAAS = "seed/saas-demo.json";

    private final ToolsConfig config;
    private final DemoSeed battleCards;
    private final Customers customers;
    private final Calendars calendars;
    private final Scheduler scheduler;
    private final TenantTools tenantTools;
    private final EntityManager entityManager;

    public DemoSeeder(ToolsConfig config, DemoSeed battleCards, Customers customers, Calendars calendars,
                      Scheduler scheduler, TenantTools tenantTools, EntityManager entityManager) {
        this.config = config;
        this.battleCards = battleCards;
        this.customers = customers;
        this.calendars = calendars;
        this.scheduler = scheduler;
        this.tenantTools = tenantTools;
        this.entityManager = entityManager;
    }

    void onStart(@Observes StartupEvent start) {
        config.seedTenant().ifPresent(tenant -> seedSafely(tenant, DEALERSHIP));
        config.saasSeedTenant().ifPresent(tenant -> seedSafely(tenant, SAAS));
    }

    private void seedSafely(String tenant, String resource) {
        battleCards.seedSafely(tenant);
        try {
            if (QuarkusTransaction.requiringNew().call(() -> seed(tenant, DemoData.load(resource)))) {
                LOG.infof("seeded %s for tenant %s", resource, tenant);
            }
        } catch (RuntimeException e) {
            // another instance seeding at the same moment trips a unique key; its data is as good
            LOG.warnf("%s not seeded for tenant %s: %s", resource, tenant, e.getMessage());
        }
    }

    /** Seeds {@code data} for the tenant unless it has customers; runs in the caller's transaction. */
    public boolean seed(String tenant, DemoData data) {
        if (customers.countForTenant(tenant) > 0) {
            return false;
        }
        if (data.calendar() != null) {
            sql("INSERT INTO calendars (tenant_id, timezone, slot_minutes) VALUES (:t, :a, :b)", tenant,
                    data.calendar().timezone(), data.calendar().slotMinutes(), null);
        }
        DemoData.orEmpty(data.hours()).forEach(h -> sql("INSERT INTO business_hours (tenant_id, weekday, opens, closes)"
                + " VALUES (:t, :a, CAST(:b AS time), CAST(:c AS time))", tenant, h.weekday(), h.opens(), h.closes()));
        DemoData.orEmpty(data.bays()).forEach(b ->
                sql("INSERT INTO bays (tenant_id, id, name) VALUES (:t, :a, :b)", tenant, b.id(), b.name(), null));
        DemoData.orEmpty(data.serviceTypes()).forEach(s -> sql("INSERT INTO service_types (tenant_id, code, name,"
                + " duration_minutes) VALUES (:t, :a, :b, :c)", tenant, s.code(), s.name(), s.durationMinutes()));
        DemoData.orEmpty(data.customers()).forEach(c -> {
            var customer = CustomerEntity.of(tenant, c.phone(), c.name(), c.email());
            if (c.vehicles() != null) {
                customer.vehicles = c.vehicles();
            }
            customers.persist(customer);
        });
        DemoData.orEmpty(data.leads()).forEach(l -> {
            sql("INSERT INTO leads (tenant_id, name, company, email, phone, interest, budget, timeline)"
                    + " VALUES (:t, :a, :b, :c, :d, :e, :f, :g)", tenant, l.name(), l.company(), l.email(),
                    l.phone(), l.interest(), l.budget(), l.timeline());
        });
        customers.flush();
        if (!DemoData.orEmpty(data.appointments()).isEmpty()) {
            var calendar = calendars.of(tenant).orElseThrow();
            for (var a : data.appointments()) {
                var day = LocalDate.now(calendar.zone()).plusDays(a.daysAhead());
                while (calendar.hoursOn(day.getDayOfWeek()).isEmpty()) {
                    day = day.plusDays(1);
                }
                var customer = customers.byPhone(tenant, a.phone()).orElseThrow();
                scheduler.book(calendar, scheduler.serviceType(calendar, a.serviceType()), customer.id,
                        day.atTime(LocalTime.parse(a.time())).atZone(calendar.zone()), a.vin(), "demo booking");
            }
        }
        DemoData.orEmpty(data.disabledTools()).forEach(tool -> tenantTools.set(tenant, tool, false));
        return true;
    }

    private void sql(String sql, String tenant, Object... values) {
        var query = entityManager.createNativeQuery(sql).setParameter("t", tenant);
        String names = "abcdefg";
        for (int i = 0; i < values.length; i++) {
            String name = String.valueOf(names.charAt(i));
            if (sql.contains(":" + name)) {
                query.setParameter(name, values[i]);
            }
        }
        query.executeUpdate();
    }
}
