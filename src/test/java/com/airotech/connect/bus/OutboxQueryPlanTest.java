package com.airotech.connect.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.store.Database;
import com.airotech.connect.testing.QueryPlans;
import com.airotech.connect.testing.TempDirs;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outbox is read by depth and by its oldest row without counting it, however long Kafka was away. */
class OutboxQueryPlanTest {
    static Database db;

    @BeforeAll
    static void open() { db = Database.open(TempDirs.create("airotech-plan").resolve("plan.db")); }

    @AfterAll
    static void close() { db.close(); }

    @Test
    void theOutboxsStatementsAreSearchesOrBoundedReadsFromItsStart() {
        for (String sql : List.of(Outbox.DEPTH, Outbox.LOWEST, Outbox.RELEASE, Outbox.COUNT_DOWN)) {
            List<String> plan = QueryPlans.plan(db, sql);
            assertThat(QueryPlans.problem(sql, plan)).as(sql + " → " + plan).isNull();
        }
    }
}
