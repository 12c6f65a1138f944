package com.airotech.connect.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.ApiException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
    /** A resolver with fixed answers (IP literals only: no DNS is asked). */
    static Function<String, List<InetAddress>> dns(Map<String, List<String>> answers) {
        return host -> answers.getOrDefault(host, List.of(host)).stream().map(a -> {
            try {
                return InetAddress.getByName(a);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static void check(AddressPolicy p, String url, Map<String, List<String>> answers) {
        p.check(URI.create(url), "tn_test", dns(answers));
    }

    @Test
    void theDefaultAllowsNothingAndSaysHowToAllowIt() {
        AddressPolicy p = AddressPolicy.defaults();
        assertThat(p.rules()).isEmpty();
        for (String url : List.of("http://127.0.0.1:8080/x", "https://[::1]:8443/x", "http://10.1.2.3/x", "https://203.0.113.7/x")) {
            assertThatThrownBy(() -> check(p, url, Map.of())).as(url).isInstanceOfSatisfying(ConnectionFailure.class, f -> {
                assertThat(f.code()).isEqualTo("address_refused");
                assertThat(f.getMessage()).contains("--tenant tn_test --allow ");
            });
        }
        assertThatThrownBy(() -> check(p, "http://10.1.2.3/x", Map.of())).hasMessageContaining("allows no targets yet")
                .hasMessageContaining("--allow 10.1.2.3/32");
        AddressPolicy loopback = new AddressPolicy(List.of("127.0.0.0/8", "::1/128"));
        assertThatCode(() -> check(loopback, "http://localhost/x", Map.of("localhost", List.of("127.0.0.1", "::1")))).doesNotThrowAnyException();
    }

    /** Issue 13, item 4: a name rule never reaches special addresses; only a network rule that names them does. */
    @Test
    void anAllowedNameNeverReachesLoopbackCgnatUniqueLocalOrMetadataAddresses() {
        AddressPolicy byName = new AddressPolicy(List.of("bms.site.local"));
        for (String special : List.of("127.0.0.1", "::1", "100.64.0.1", "100.127.255.254", "fd00:ec2::254", "fc00::1", "fd12:3456::1",
                "169.254.169.254", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "::ffff:127.0.0.1")) {
            assertThatThrownBy(() -> check(byName, "https://bms.site.local/x", Map.of("bms.site.local", List.of(special))))
                    .as(special).isInstanceOfSatisfying(ConnectionFailure.class, f -> assertThat(f.getMessage()).contains("network rule"));
        }
        assertThatCode(() -> check(byName, "https://bms.site.local/x", Map.of("bms.site.local", List.of("192.168.7.7")))).doesNotThrowAnyException();
        assertThatCode(() -> check(byName, "https://bms.site.local/x", Map.of("bms.site.local", List.of("10.20.1.2")))).doesNotThrowAnyException();
        AddressPolicy named = new AddressPolicy(List.of("bms.site.local", "100.64.0.0/10", "fd00::/8"));
        assertThatCode(() -> check(named, "https://bms.site.local/x", Map.of("bms.site.local", List.of("100.64.0.1")))).doesNotThrowAnyException();
        assertThatCode(() -> check(named, "https://bms.site.local/x", Map.of("bms.site.local", List.of("fd00:ec2::254")))).doesNotThrowAnyException();
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() {
        AddressPolicy p = new AddressPolicy(List.of("10.20.0.0/16"));
        assertThatCode(() -> check(p, "https://bms.site/x", Map.of("bms.site", List.of("10.20.3.4")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(p, "https://bms.site/x", Map.of("bms.site", List.of("10.20.3.4", "192.168.1.9"))))
                .hasMessageContaining("The host bms.site resolves to 192.168.1.9, which is not in");
        assertThatThrownBy(() -> check(p, "https://bms.site/x", Map.of("bms.site", List.of("10.21.0.1")))).isInstanceOf(ConnectionFailure.class);
    }

    @Test
    void anAllowedHostNameStillNeverReachesLinkLocalAddresses() {
        AddressPolicy p = new AddressPolicy(List.of("*.site.local"));
        assertThatCode(() -> check(p, "https://bms.site.local/x", Map.of("bms.site.local", List.of("192.168.7.7")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(p, "https://meta.site.local/x", Map.of("meta.site.local", List.of("169.254.169.254"))))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> check(p, "https://other.example/x", Map.of("other.example", List.of("192.168.7.7")))).isInstanceOf(ConnectionFailure.class);
    }

    @Test
    void onlyHttpAndHttpsAreReached() {
        assertThatThrownBy(() -> check(new AddressPolicy(List.of("127.0.0.0/8")), "ftp://127.0.0.1/x", Map.of())).hasMessageContaining("Only http and https");
    }

    @Test
    void rulesAreValidatedAndNormalised() {
        assertThat(AddressPolicy.defaults().with("BMS.Site.Local").rules()).contains("bms.site.local");
        assertThat(AddressPolicy.defaults().with("10.0.0.0/8").with("10.0.0.0/8").rules()).containsOnlyOnce("10.0.0.0/8");
        assertThat(new AddressPolicy(List.of("127.0.0.0/8", "::1/128")).without("::1/128").rules()).containsExactly("127.0.0.0/8");
        assertThatThrownBy(() -> AddressPolicy.defaults().with("10.0.0.0/33")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> AddressPolicy.defaults().with("not a host!")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> AddressPolicy.defaults().with("999.1.1.1")).isInstanceOf(ApiException.class);
    }
}
