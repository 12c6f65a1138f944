package com.airotech.connect.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.store.Database;
import com.airotech.connect.testing.QueryPlans;
import com.airotech.connect.testing.TempDirs;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pruning reads and removes only the rows it removes: every statement is a search from the start of a range. */
class PrunerQueryPlanTest {
    static Database db;

    @BeforeAll
    static void open() { db = Database.open(TempDirs.create("airotech-plan").resolve("plan.db")); }

    @AfterAll
    static void close() { db.close(); }

    @Test
    void thePrunersStatementsAreIndexSearches() {
        for (String sql : List.of(Pruner.OLDEST_OF_TENANT, Pruner.AGED_BATCH, Pruner.DELETE_RANGE, Pruner.OLDEST_BATCH, Pruner.NEWEST)) {
            List<String> plan = QueryPlans.plan(db, sql);
            assertThat(QueryPlans.problem(sql, plan)).as(sql + " → " + plan).isNull();
        }
        assertThat(QueryPlans.plan(db, Pruner.OLDEST_BATCH)).anyMatch(l -> l.contains("INTEGER PRIMARY KEY"));
    }
}
