package io.voicecoach.tools.webhook;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointPolicyTest {

    @Test
    void internalRangesAreBlockedAndTheirNeighboursAreNot() throws Exception {
        for (String internal : new String[]{"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1",
                "100.64.0.1", "100.100.100.200", "100.127.255.254", "64:ff9b::a00:1", "64:ff9b::7f00:1",
                "64:ff9b::808:808"}) {
            assertThat(EndpointPolicy.internal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[]{"8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1",
                "2001:4860:4860::8888", "64:ff9b:0:0:1::808", "64:ff9a::a00:1"}) {
            assertThat(EndpointPolicy.internal(InetAddress.getByName(external))).as(external).isFalse();
        }
    }
}
