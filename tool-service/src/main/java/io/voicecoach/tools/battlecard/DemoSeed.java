package io.voicecoach.tools.battlecard;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The demo battle cards, given to a demo tenant at start (see {@code seed.DemoSeeder}) if it has no cards yet. */
@ApplicationScoped
public class DemoSeed {

    private static final Logger LOG = Logger.getLogger(DemoSeed.class);
    static final String RESOURCE = "seed/demo-battle-cards.json";

    private final BattleCards cards;

    public DemoSeed(BattleCards cards) {
        this.cards = cards;
    }

    /** Seeds the tenant's cards in a transaction of its own; never fails the caller. */
    public void seedSafely(String tenant) {
        try {
            int seeded = QuarkusTransaction.requiringNew().call(() -> seed(tenant));
            if (seeded > 0) {
                LOG.infof("seeded %d demo battle cards for tenant %s", seeded, tenant);
            }
        } catch (RuntimeException e) {
            // another instance seeding at the same moment trips the unique key; its cards are as good
            LOG.warnf("demo battle cards for tenant %s not seeded: %s", tenant, e.getMessage());
        }
    }

    int seed(String tenant) {
        if (cards.countForTenant(tenant) > 0) {
            return 0;
        }
        var demo = demoCards();
        demo.forEach(card -> cards.persist(BattleCardEntity.of(tenant, card)));
        return demo.size();
    }

    static List<BattleCard> demoCards() {
        try (var in = DemoSeed.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            return EventJson.MAPPER.readValue(in, new TypeReference<List<BattleCard>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
