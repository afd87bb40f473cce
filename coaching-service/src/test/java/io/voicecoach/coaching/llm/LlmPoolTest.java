package io.voicecoach.coaching.llm;

import io.voicecoach.coaching.ConfigStub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlmPoolTest {

    private final AtomicLong now = new AtomicLong();

    private LlmPool pool(Map<String, Object> overrides) {
        return new LlmPool(ConfigStub.of(LlmConfig.class, overrides), now::get);
    }

    @Test
    void oneTenantsFloodTakesOnlyItsShareAndTheOthersStillGetSlots() {
        var pool = pool(Map.of("maxInFlight", 8, "tenantMaxInFlight", 3));
        var held = new ArrayList<LlmPool.Permit>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.admit("flood"));
        }
        assertThatThrownBy(() -> pool.admit("flood")).isInstanceOfSatisfying(LlmRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(LlmRefusedException.TENANT_BUSY));
        for (String tenant : new String[]{"a", "a", "b", "b", "c"}) {
            held.add(pool.admit(tenant));
        }
        assertThat(pool.inFlight()).isEqualTo(8);
        assertThatThrownBy(() -> pool.admit("d")).isInstanceOfSatisfying(LlmRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(LlmRefusedException.POOL_BUSY));

        held.getFirst().release();
        held.getFirst().release(); // twice gives back one slot, not two
        assertThat(pool.inFlight()).isEqualTo(7);
        pool.admit("flood");
        assertThatThrownBy(() -> pool.admit("d")).isInstanceOf(LlmRefusedException.class);
    }

    @Test
    void aTenantsCallsArePacedByItsRateAfterTheBurst() {
        var pool = pool(Map.of("callsPerMinute", 60, "callBurst", 5));
        for (int i = 0; i < 5; i++) {
            pool.admit("chatty").release();
        }
        assertThatThrownBy(() -> pool.admit("chatty")).isInstanceOfSatisfying(LlmRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(LlmRefusedException.RATE_LIMITED));
        pool.admit("quiet").release();

        now.addAndGet(1_000_000_000L); // one second: one more call at 60 a minute
        pool.admit("chatty").release();
        assertThatThrownBy(() -> pool.admit("chatty")).isInstanceOf(LlmRefusedException.class);
        now.addAndGet(60_000_000_000L); // a minute refills the burst, not more
        for (int i = 0; i < 5; i++) {
            pool.admit("chatty").release();
        }
        assertThatThrownBy(() -> pool.admit("chatty")).isInstanceOf(LlmRefusedException.class);
    }

    @Test
    void aTenantsOwnShareAndRateWin() {
        var own = ConfigStub.of(LlmConfig.Tenant.class, Map.of("maxInFlight", Optional.of(1),
                "callsPerMinute", Optional.of(1), "callBurst", Optional.of(2)));
        var pool = pool(Map.of("tenants", Map.of("small", own)));
        var permit = pool.admit("small");
        assertThatThrownBy(() -> pool.admit("small")).isInstanceOfSatisfying(LlmRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(LlmRefusedException.TENANT_BUSY));
        permit.release();
        pool.admit("small").release();
        assertThatThrownBy(() -> pool.admit("small")).isInstanceOfSatisfying(LlmRefusedException.class,
                e -> assertThat(e.code()).isEqualTo(LlmRefusedException.RATE_LIMITED));
        assertThat(new LlmRefusedException(LlmRefusedException.POOL_BUSY, "x").retryable())
                .as("a summary tries again later").isTrue();
    }
}
