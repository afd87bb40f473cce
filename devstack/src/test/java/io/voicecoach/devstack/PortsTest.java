package io.voicecoach.devstack;

import org.junit.jupiter.api.Test;

import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {

    @Test
    void neverHandsOutTheSamePortTwice() {
        var ports = new HashSet<Integer>();
        for (int i = 0; i < 200; i++) {
            assertThat(ports.add(Ports.free())).as("port handed out twice").isTrue();
        }
    }
}
