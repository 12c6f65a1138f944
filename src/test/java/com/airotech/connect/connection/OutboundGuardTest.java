package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13, item 3: the gateway's own listeners are refused whatever the policy allows, also when it listens on every interface. */
class OutboundGuardTest {
    private static final AddressPolicy EVERYTHING = new AddressPolicy(List.of("0.0.0.0/0", "::/0"));

    private static OutboundGuard guard(String bind, int port) {
        OutboundGuard g = new OutboundGuard(() -> List.of(new InetSocketAddress(bind, port)));
        g.useNames(host -> List.of(InetAddress.getByName(host)));
        return g;
    }

    @Test
    void aGatewayBoundToEveryInterfaceIsRefusedOnLoopbackAndOnEachLocalAddress() throws Exception {
        for (String any : List.of("0.0.0.0", "::")) {
            OutboundGuard g = guard(any, 8470);
            assertThatThrownBy(() -> g.resolve(EVERYTHING, "tn_1", "127.0.0.1", 8470)).as(any).hasMessageContaining("this gateway's own listener");
            assertThatThrownBy(() -> g.resolve(EVERYTHING, "tn_1", "::1", 8470)).as(any).hasMessageContaining("this gateway's own listener");
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    String literal = a.getHostAddress().replaceAll("%.*$", "");
                    assertThatThrownBy(() -> g.resolve(EVERYTHING, "tn_1", literal, 8470)).as(any + " " + literal)
                            .isInstanceOfSatisfying(ConnectionFailure.class, f -> assertThat(f.code()).isEqualTo("address_refused"));
                }
            }
            // another port of this host is the operator's business (the policy decides)
            assertThat(g.resolve(EVERYTHING, "tn_1", "127.0.0.1", 8471)).extracting(InetSocketAddress::getPort).containsExactly(8471);
        }
    }

    @Test
    void aGatewayBoundToOneAddressIsRefusedThereAndByAnyNameForIt() {
        OutboundGuard g = guard("127.0.0.1", 9000);
        g.useNames(host -> List.of(InetAddress.getByName("127.0.0.1")));
        assertThatThrownBy(() -> g.resolve(EVERYTHING, "tn_1", "metrics.site.local", 9000))
                .hasMessageContaining("The host metrics.site.local resolves to 127.0.0.1:9000").hasMessageContaining("own listener");
    }

    @Test
    void everyAddressANameResolvesToMustPassNotJustTheFirst() {
        OutboundGuard g = new OutboundGuard(List::of);
        g.useNames(host -> List.of(InetAddress.getByName("10.20.0.5"), InetAddress.getByName("127.0.0.1")));
        assertThatThrownBy(() -> g.resolve(new AddressPolicy(List.of("10.20.0.0/16")), "tn_1", "bms.site.local", 443))
                .hasMessageContaining("127.0.0.1");
    }
}
