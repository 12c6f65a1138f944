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
 * a fuzzer must never make real DNS lookups). Invariants, whatever the URL looks like: the default
 * rules refuse every address, and loopback rules refuse every address outside loopback.
 */
class AddressPolicyFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void nothingPassesTheDefaultPolicyAndOnlyLoopbackALoopbackOne(FuzzedDataProvider data) {
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
            URI uri = new URI(url);
            boolean refusedByDefault;
            try {
                AddressPolicy.defaults().check(uri, "tn_fuzz", host -> List.of(answer));
                refusedByDefault = false;
            } catch (ConnectionFailure expected) {
                refusedByDefault = true;
            }
            assertThat(refusedByDefault).as("the default policy allowed %s -> %s", url, answer).isTrue();
            new AddressPolicy(List.of("127.0.0.0/8", "::1/128")).check(uri, "tn_fuzz", host -> List.of(answer));
            // it passed: the only address it would reach must be loopback
            assertThat(answer.isLoopbackAddress()).as("allowed %s -> %s", url, answer).isTrue();
        });
    }
}
