package com.airotech.connect.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.ApiException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kinds of refusal reach the wire with the statuses API.md gives them. */
class ErrorStatusTest {
    @Test
    void theFactoriesKeepTheStatusesOfTheContract() {
        assertThat(ErrorStatus.of(ApiException.invalidRequest("x"))).isEqualTo(400);
        assertThat(ErrorStatus.of(ApiException.invalidJson("x"))).isEqualTo(400);
        assertThat(ErrorStatus.of(ApiException.unauthorized("x"))).isEqualTo(401);
        assertThat(ErrorStatus.of(ApiException.notFound("x"))).isEqualTo(404);
        assertThat(ErrorStatus.of(ApiException.conflict("replayed", "x"))).isEqualTo(409);
        assertThat(ErrorStatus.of(ApiException.unavailable("x"))).isEqualTo(503);
    }

    @Test
    void anUnavailableStoreAsksForARetryAndAFullOneForALaterOne() {
        assertThat(ApiException.unavailable("busy").retryAfterSeconds()).isEqualTo(1);
        ApiException full = ApiException.unavailable("full", 30);
        assertThat(full.code()).isEqualTo("unavailable");
        assertThat(full.retryAfterSeconds()).isEqualTo(30);
        assertThat(ErrorStatus.of(full)).isEqualTo(503);
    }

    @Test
    void everyKindHasItsOwnStatusAndOnlyCallerMistakesAreFourHundreds() {
        Set<Integer> seen = new HashSet<>();
        for (ApiException.Kind k : ApiException.Kind.values()) {
            int status = ErrorStatus.of(k);
            assertThat(seen.add(status)).as("status of %s is not shared", k).isTrue();
            boolean server = EnumSet.of(ApiException.Kind.INTERNAL, ApiException.Kind.UPSTREAM_FAILED, ApiException.Kind.UNAVAILABLE).contains(k);
            assertThat(status).as(k.name()).isBetween(server ? 500 : 400, server ? 599 : 499);
        }
    }
}
