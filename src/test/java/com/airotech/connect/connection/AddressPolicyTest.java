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
    void theDefaultAllowsLoopbackOnly() {
        AddressPolicy p = AddressPolicy.defaults();
        assertThatCode(() -> check(p, "http://127.0.0.1:8080/x", Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> check(p, "https://[::1]:8443/x", Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> check(p, "http://localhost/x", Map.of("localhost", List.of("127.0.0.1", "::1")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(p, "http://10.1.2.3/x", Map.of())).isInstanceOfSatisfying(ConnectionFailure.class, f -> {
            assertThat(f.code()).isEqualTo("address_refused");
            assertThat(f.getMessage()).contains("10.1.2.3").contains("[127.0.0.0/8, ::1/128]").contains("--tenant tn_test --allow 10.1.2.3/32");
        });
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
        assertThatThrownBy(() -> check(AddressPolicy.defaults(), "ftp://127.0.0.1/x", Map.of())).hasMessageContaining("Only http and https");
    }

    @Test
    void rulesAreValidatedAndNormalised() {
        assertThat(AddressPolicy.defaults().with("BMS.Site.Local").rules()).contains("bms.site.local");
        assertThat(AddressPolicy.defaults().with("10.0.0.0/8").with("10.0.0.0/8").rules()).containsOnlyOnce("10.0.0.0/8");
        assertThat(AddressPolicy.defaults().without("::1/128").rules()).containsExactly("127.0.0.0/8");
        assertThatThrownBy(() -> AddressPolicy.defaults().with("10.0.0.0/33")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> AddressPolicy.defaults().with("not a host!")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> AddressPolicy.defaults().with("999.1.1.1")).isInstanceOf(ApiException.class);
    }
}
