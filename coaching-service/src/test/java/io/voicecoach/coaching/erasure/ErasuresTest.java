package io.voicecoach.coaching.erasure;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ErasuresTest {

    @Test
    void aTenantErasureHasOneKeyForEachPartition() {
        for (int partitions : new int[]{1, 4, 12, 48}) {
            var keys = Erasures.keysForEveryPartition("erase:acme:", partitions);
            assertThat(keys).hasSize(partitions).doesNotHaveDuplicates();
            for (int p = 0; p < partitions; p++) {
                byte[] key = keys.get(p).getBytes(StandardCharsets.UTF_8);
                assertThat(Utils.toPositive(Utils.murmur2(key)) % partitions).isEqualTo(p);
            }
        }
    }
}
