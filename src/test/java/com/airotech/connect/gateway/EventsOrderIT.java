package com.airotech.connect.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Times;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /api/events} newest first ({@code order=desc}) and oldest first, paged by cursor, with every filter. */
class EventsOrderIT {
    /** Every page of a listing, followed by its cursor: the event ids in the order given. */
    private static List<String> all(TestGateway gw, String token, String query, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = gw.get(token, "/api/events?limit=" + limit + query + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("events").forEach(e -> ids.add(e.get("event_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            assertThat(++pages).as("pages").isLessThan(100);
        } while (cursor != null);
        return ids;
    }

    @Test
    void newestFirstPagesBackwardsWithEveryFilterAndMirrorsOldestFirst() {
        ManualClock clock = ManualClock.startingNow();
        try (TestGateway gw = TestGateway.start(clock)) {
            TestGateway.TenantHandle t = gw.tenant("north");
            JsonNode a = gw.register(t, "api_key", null);
            JsonNode b = gw.register(t, "api_key", null);
            List<String> ids = new ArrayList<>();
            List<Instant> received = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                JsonNode c = i % 2 == 0 ? a : b;
                String id = "ev-" + i;
                byte[] body = Signer.event(i % 3 == 0 ? "door_open" : "temp_reading", id);
                TestGateway.Response r = gw.ingest(c.get("webhook_path").asText(), body, Signer.apiKey(c.get("credential").asText()));
                assertThat(r.status()).isEqualTo(202);
                ids.add(id);
                received.add(Instant.parse(r.text("received_at")));
                clock.advance(Duration.ofSeconds(1));
            }
            List<String> newestFirst = new ArrayList<>(ids);
            Collections.reverse(newestFirst);

            assertThat(all(gw, t.token(), "", 10)).containsExactlyElementsOf(ids);
            assertThat(all(gw, t.token(), "&order=asc", 7)).containsExactlyElementsOf(ids);
            assertThat(all(gw, t.token(), "&order=desc", 10)).containsExactlyElementsOf(newestFirst);
            JsonNode first = gw.get(t.token(), "/api/events?order=desc&limit=10").json();
            assertThat(first.get("events")).hasSize(10);
            assertThat(first.get("events").get(0).get("event_id").asText()).isEqualTo("ev-24");
            assertThat(first.get("next_cursor").isNull()).isFalse();

            List<String> doors = ids.stream().filter(id -> Integer.parseInt(id.substring(3)) % 3 == 0).toList();
            List<String> doorsDesc = new ArrayList<>(doors);
            Collections.reverse(doorsDesc);
            assertThat(all(gw, t.token(), "&order=desc&type=door_open", 3)).containsExactlyElementsOf(doorsDesc);
            assertThat(all(gw, t.token(), "&type=door_open", 3)).containsExactlyElementsOf(doors);

            String bId = b.get("connector_id").asText();
            List<String> ofB = ids.stream().filter(id -> Integer.parseInt(id.substring(3)) % 2 == 1).toList();
            List<String> ofBDesc = new ArrayList<>(ofB);
            Collections.reverse(ofBDesc);
            assertThat(all(gw, t.token(), "&order=desc&connector_id=" + bId, 4)).containsExactlyElementsOf(ofBDesc);
            assertThat(all(gw, t.token(), "&connector_id=" + bId + "&type=temp_reading", 2))
                    .containsExactlyElementsOf(ofB.stream().filter(id -> Integer.parseInt(id.substring(3)) % 3 != 0).toList());

            // both filters: the connector's index when it has fewer events (above), the type's when that has fewer
            String aId = a.get("connector_id").asText();
            List<String> doorsOfA = ids.stream().filter(id -> Integer.parseInt(id.substring(3)) % 6 == 0).toList();
            List<String> doorsOfADesc = new ArrayList<>(doorsOfA);
            Collections.reverse(doorsOfADesc);
            assertThat(all(gw, t.token(), "&connector_id=" + aId + "&type=door_open", 2)).containsExactlyElementsOf(doorsOfA);
            assertThat(all(gw, t.token(), "&order=desc&connector_id=" + aId + "&type=door_open", 2)).containsExactlyElementsOf(doorsOfADesc);
            assertThat(all(gw, t.token(), "&connector_id=" + aId + "&type=alarm", 2)).as("no event of both").isEmpty();

            String since = URLEncoder.encode(Times.format(received.get(15)), StandardCharsets.UTF_8);
            assertThat(all(gw, t.token(), "&since=" + since, 4)).containsExactlyElementsOf(ids.subList(15, 25));
            List<String> lastTenDesc = new ArrayList<>(ids.subList(15, 25));
            Collections.reverse(lastTenDesc);
            assertThat(all(gw, t.token(), "&order=desc&since=" + since, 4)).containsExactlyElementsOf(lastTenDesc);
            assertThat(all(gw, t.token(), "&since=" + URLEncoder.encode(Times.format(clock.instant()), StandardCharsets.UTF_8), 4)).isEmpty();

            TestGateway.Response bad = gw.get(t.token(), "/api/events?order=newest");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.error()).isEqualTo("invalid_request");
            assertThat(bad.json().get("message").asText()).contains("'asc'").contains("'desc'");
        }
    }
}
