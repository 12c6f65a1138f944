package com.airotech.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionFailure;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small parts of delivery: ids, the packed log, settings, Retry-After, error classes, the payload. */
class DeliveryUnitsTest {
    @Test
    void aDeliveryIdNamesItsSubscriptionAndEventAndParsesBack() {
        String id = DeliveryIds.of("sb_7k2m9q4r8s1t3v5w6x0y", 12345);
        assertThat(id).isEqualTo("dl_7k2m9q4r8s1t3v5w6x0y_12345");
        assertThat(DeliveryIds.parse(id)).isEqualTo(new DeliveryIds.Parsed("sb_7k2m9q4r8s1t3v5w6x0y", 12345));
        for (String bad : new String[] {null, "", "dl_", "dl_x_", "dl__5", "dl_abc_-1", "dl_abc_0", "xx_abc_5", "dl_ABC_5", "dl_a b_5", "dl_abc_5x"}) {
            assertThat(DeliveryIds.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void thePackedLogGivesBackWhatWasPackedInAboutEightBytesEach() {
        List<DeliveryLog.Item> items = List.of(new DeliveryLog.Item(1000, 1_700_000_000_500L, 4, 200), new DeliveryLog.Item(1003, 1_700_000_000_450L, 0, 204),
                new DeliveryLog.Item(1001, 1_700_000_001_000L, 15_000, 299));
        DeliveryLog.Chunk c = DeliveryLog.pack(items);
        assertThat(c.firstSeq()).isEqualTo(1000);
        assertThat(c.lastSeq()).isEqualTo(1003);
        assertThat(c.at()).isEqualTo(1_700_000_000_450L);
        assertThat(c.count()).isEqualTo(3);
        assertThat(DeliveryLog.unpack(c.firstSeq(), c.at(), c.data())).containsExactlyElementsOf(items);
        assertThat(c.data().length).isLessThanOrEqualTo(3 * 9);
        assertThatThrownBy(() -> DeliveryLog.unpack(0, 0, new byte[] {(byte) 0x80})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultScheduleIsTheContractsAndFlagsCanChangeIt() {
        DeliverySettings d = DeliverySettings.defaults();
        assertThat(d.schedule()).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(d.maxAttempts()).isEqualTo(8);
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.disableAfter()).isEqualTo(Duration.ofDays(5));
        assertThat(d.defaultGrace()).isEqualTo(Duration.ofHours(24));
        assertThat(DeliverySettings.parseSchedule("0s, 250ms,2m,1h,3d")).containsExactly(Duration.ZERO, Duration.ofMillis(250), Duration.ofMinutes(2),
                Duration.ofHours(1), Duration.ofDays(3));
        assertThatThrownBy(() -> DeliverySettings.parseSchedule("5 minutes")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DeliverySettings.defaults().withSchedule(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void jitterStaysWithinAFifthOfTheScheduledWait() {
        DeliverySettings s = DeliverySettings.defaults();
        for (int i = 0; i < 200; i++) {
            long ms = SubscriptionRunner.jittered(s, 1, null).toMillis();
            assertThat(ms).isBetween(4000L, 6000L);
        }
        assertThat(SubscriptionRunner.jittered(s.withJitter(0), 7, null)).as("the last wait").isEqualTo(Duration.ofHours(10));
        assertThat(SubscriptionRunner.jittered(s.withJitter(0), 9, null)).as("and again, past the schedule's end").isEqualTo(Duration.ofHours(10));
        assertThat(SubscriptionRunner.jittered(s.withJitter(0), 2, null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(SubscriptionRunner.jittered(s, 2, Duration.ofSeconds(42))).as("Retry-After decides").isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndBoundedToADay() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertThat(Sender.retryAfter(Map.of("retry-after", List.of("120")), now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(Sender.retryAfter(Map.of("Retry-After", List.of("Sun, 22 Nov 2026 10:05:00 GMT")), now)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Sender.retryAfter(Map.of("Retry-After", List.of("Sun, 22 Nov 2026 09:05:00 GMT")), now)).isEqualTo(Duration.ZERO);
        assertThat(Sender.retryAfter(Map.of("Retry-After", List.of("99999999999")), now)).isEqualTo(Duration.ofHours(24));
        assertThat(Sender.retryAfter(Map.of("Retry-After", List.of("soon")), now)).isNull();
        assertThat(Sender.retryAfter(Map.of(), now)).isNull();
    }

    @Test
    void failuresWithoutAnAnswerGetAStableClass() {
        assertThat(Sender.errorClass(new ConnectionFailure(ConnectionFailure.UNREACHABLE, "http://x did not answer within 15 s. Check"))).isEqualTo("timeout");
        assertThat(Sender.errorClass(new ConnectionFailure(ConnectionFailure.UNREACHABLE, "Could not connect to http://x (connection refused)."))).isEqualTo("connection_refused");
        assertThat(Sender.errorClass(new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The TLS handshake with https://x failed"))).isEqualTo("tls_error");
        assertThat(Sender.errorClass(new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The host name 'x' does not resolve."))).isEqualTo("dns_error");
        assertThat(Sender.errorClass(new ConnectionFailure(ConnectionFailure.ADDRESS_REFUSED, "The address ..."))).isEqualTo("address_refused");
        assertThat(Sender.errorClass(new ConnectionFailure(ConnectionFailure.REAUTH_REQUIRED, "consent"))).isEqualTo("reauth_required");
    }

    @Test
    void thePayloadCarriesTheStoredDataUnchangedInTheContractsShape() {
        byte[] stored = "{\"event_type\":\"door_open\",\"data\":{\"b\":[1,2.50,{\"x\":null}],\"a\":\"\\u00e9\"},\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
        String p = new String(Payloads.build("tn_1", "cn_1", "e1", "door_open", null, 1_700_000_000_123L, stored), StandardCharsets.UTF_8);
        assertThat(p).isEqualTo("{\"event_id\":\"e1\",\"tenant_id\":\"tn_1\",\"connector_id\":\"cn_1\",\"event_type\":\"door_open\","
                + "\"occurred_at\":null,\"received_at\":\"2023-11-14T22:13:20.123Z\",\"data\":{\"b\":[1,2.50,{\"x\":null}],\"a\":\"\\u00e9\"}}");
        assertThat(new String(Payloads.build("t", "c", "e", "x", null, 0L, "{\"data\": 7 ,\"event_type\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).endsWith("\"data\":7}");
        assertThat(new String(Payloads.build("t", "c", "e", "x", null, 0L, "{\"data\":\"a\\\"b\"}".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).endsWith("\"data\":\"a\\\"b\"}");
        assertThat(Json.tree(Payloads.build("tn_1", "cn_1", "e2", "t", 0L, 0L, "{\"event_type\":\"t\"}".getBytes(StandardCharsets.UTF_8))).get("data").isNull()).isTrue();
    }
}
