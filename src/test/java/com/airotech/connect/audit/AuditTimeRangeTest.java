package com.airotech.connect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.store.Database;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TempDirs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code from} and {@code to} of an audit page are a seq range found through the time index: exact at both ends, across pages. */
class AuditTimeRangeTest {
    @Test
    void fromAndToSelectExactlyTheEntriesInTheRangeAcrossPages() {
        ManualClock clock = ManualClock.startingNow();
        Instant t0 = clock.instant();
        try (Database db = Database.open(TempDirs.create("airotech-audit-range").resolve("a.db"))) {
            AuditLog audit = new AuditLog(db, clock);
            for (int i = 0; i < 30; i++) {
                for (String tenant : List.of("tn_a", "tn_b")) audit.append(tenant, "ops", AuditAction.CONNECTOR_UPDATED, "n-" + i, Json.object().put("i", i));
                clock.advance(Duration.ofMinutes(1));
            }
            // from minute 10 (inclusive) to minute 20 (exclusive), three entries a page
            List<String> got = new ArrayList<>();
            Long cursor = null;
            do {
                AuditPage page = audit.page("tn_a", new AuditQuery(t0.plus(Duration.ofMinutes(10)), t0.plus(Duration.ofMinutes(20)), null, null, null, null, 3, cursor));
                page.entries().forEach(e -> got.add(e.target()));
                cursor = AuditLog.parseCursor(page.nextCursor());
            } while (cursor != null);
            List<String> expected = new ArrayList<>();
            for (int i = 10; i < 20; i++) expected.add("n-" + i);
            assertThat(got).containsExactlyElementsOf(expected);

            assertThat(audit.page("tn_a", new AuditQuery(t0.plus(Duration.ofHours(1)), null, null, null, null, null, 10, null)).entries()).isEmpty();
            assertThat(audit.page("tn_a", new AuditQuery(null, t0, null, null, null, null, 10, null)).entries()).isEmpty();
            assertThat(audit.page("tn_b", new AuditQuery(t0.plus(Duration.ofMinutes(29)), null, null, null, null, null, 10, null)).entries())
                    .extracting(AuditEntry::target).containsExactly("n-29");
            assertThat(audit.page("tn_a", new AuditQuery(null, t0.plus(Duration.ofMinutes(2)), null, null, "n-1", null, 10, null)).entries())
                    .extracting(AuditEntry::target).containsExactly("n-1");
        }
    }
}
