package com.airotech.connect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.store.Database;
import com.airotech.connect.testing.QueryPlans;
import com.airotech.connect.testing.TempDirs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every event query the API, the command line and the console run is one index search, whatever the filters. */
class QueryPlanTest {
    static Database db;

    @BeforeAll
    static void open() { db = Database.open(TempDirs.create("airotech-plan").resolve("plan.db")); }

    @AfterAll
    static void close() { db.close(); }

    private static void assertIndexed(String what, String sql) {
        List<String> plan = QueryPlans.plan(db, sql);
        assertThat(QueryPlans.problem(sql, plan)).as(what + ": " + sql + " → " + plan).isNull();
    }

    @Test
    void everyCombinationOfListingFiltersCursorAndOrderIsOneIndexRange() {
        List<String> checked = new ArrayList<>();
        for (String type : new String[] {null, "door_open"}) {
            for (String connector : new String[] {null, "cn_1"}) {
                for (Instant since : new Instant[] {null, Instant.EPOCH}) {
                    for (Long cursor : new Long[] {null, 42L}) {
                        for (boolean desc : new boolean[] {false, true}) {
                            EventQuery q = new EventQuery(type, connector, since, 100, cursor, desc);
                            String sql = IngestService.listingSql(q);
                            assertIndexed(q.toString(), sql);
                            checked.add(sql);
                        }
                    }
                }
            }
        }
        assertThat(checked).hasSize(32);
    }

    @Test
    void theListingsUseTheIndexOfTheirFilter() {
        assertThat(QueryPlans.plan(db, IngestService.listingSql(new EventQuery("door_open", null, null, 10, 5L, true))))
                .anyMatch(l -> l.contains("events_tenant_type") && l.contains("rowid<?"));
        assertThat(QueryPlans.plan(db, IngestService.listingSql(new EventQuery(null, "cn_1", null, 10, 5L, false))))
                .anyMatch(l -> l.contains("events_tenant_connector") && l.contains("rowid>?"));
        // both filters: the index chosen by the summary's counts, each a range in seq order
        for (String index : List.of(IngestService.CONNECTOR_INDEX, IngestService.TYPE_INDEX)) {
            for (boolean desc : new boolean[] {false, true}) {
                for (Instant since : new Instant[] {null, Instant.EPOCH}) {
                    String sql = IngestService.listingSql(new EventQuery("alarm", "cn_1", since, 10, 5L, desc), index);
                    assertIndexed(index, sql);
                    assertThat(QueryPlans.plan(db, sql)).anyMatch(l -> l.contains(index));
                }
            }
        }
        assertThat(QueryPlans.plan(db, IngestService.listingSql(new EventQuery(null, null, Instant.EPOCH, 10, null, false))))
                .anyMatch(l -> l.contains("events_tenant_seq") && l.contains("seq>?"));
    }

    @Test
    void sinceCountsLastEventsOldestAndTheReplayWindowAreSearches() {
        assertIndexed("since → first seq", IngestService.FIRST_SEQ_SINCE);
        assertThat(QueryPlans.plan(db, IngestService.FIRST_SEQ_SINCE)).anyMatch(l -> l.contains("events_received"));
        assertIndexed("count", IngestService.COUNT);
        assertIndexed("last event per connector", IngestService.LAST_BY_CONNECTOR);
        assertIndexed("counts of a connector and a type", IngestService.COUNTS_OF);
        assertIndexed("oldest stored", IngestService.OLDEST);
        assertIndexed("replay window after a restart", IngestService.RECENT_MESSAGE_IDS);
    }

    @Test
    void theCheckCatchesAScanAndASort() {
        // what the console ran before: it must fail the check
        assertThat(QueryPlans.problem(db, "SELECT connector_id, max(received_at) FROM events WHERE tenant_id = ? GROUP BY connector_id"))
                .isNotNull();
        assertThat(QueryPlans.problem(db, "SELECT count(*) FROM outbox")).isNotNull();
        assertThat(QueryPlans.problem(db, "SELECT seq FROM events WHERE tenant_id = ? AND received_at >= ? ORDER BY seq")).isNotNull();
    }
}
