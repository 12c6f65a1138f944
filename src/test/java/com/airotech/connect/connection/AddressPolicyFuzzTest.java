package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.FuzzBudget;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * The outbound URL policy under fuzzed URLs and resolver answers (the resolver is a function here:
 * a fuzzer must never make real DNS lookups). Invariant: with the default rules, an address outside
 * loopback is always refused, whatever the URL looks like.
 */
class AddressPolicyFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void onlyLoopbackPassesTheDefaultPolicy(FuzzedDataProvider data) {
        byte[] raw = data.consumeBoolean() ? data.consumeBytes(4) : data.consumeBytes(16);
        String url = data.consumeRemainingAsString();
        FuzzBudget.check(Set.of(), Set.of(ConnectionFailure.class, URISyntaxException.class, IllegalArgumentException.class), () -> {
            InetAddress resolved;
            try {
                resolved = InetAddress.getByAddress(raw.length == 4 || raw.length == 16 ? raw : new byte[] {10, 0, 0, 1});
            } catch (UnknownHostException e) {
                resolved = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
            }
            InetAddress answer = resolved;
            AddressPolicy.defaults().check(new URI(url), "tn_fuzz", host -> List.of(answer));
            // it passed: the only address it would reach must be loopback
            assertThat(answer.isLoopbackAddress()).as("allowed %s -> %s", url, answer).isTrue();
        });
    }
}
