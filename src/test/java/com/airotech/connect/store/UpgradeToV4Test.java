package com.airotech.connect.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A database made before schema 4 (as the previous release leaves it): the upgrade fills the
 * summaries from the log once, keeps its auto_vacuum as it was (only a new database can have
 * incremental vacuum), and puts off pruning by age for a day so the operator can set a longer
 * retention first. A new database gets incremental vacuum and prunes at once.
 */
class UpgradeToV4Test {
    private static Map<String, Long> rows(Connection c, String sql) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    private static long one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDatabaseOfSchema3GetsExactSummariesKeepsItsVacuumModeAndWaitsADayBeforePruningByAge() throws Exception {
        Path file = TempDirs.create("airotech-upgrade").resolve("airotech.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            for (int v = 1; v <= 3; v++) {
                for (String sql : Migrations.script(v)) s.execute(sql);
                s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
            }
            s.execute("INSERT INTO tenants VALUES ('tn_a','a',0), ('tn_b','b',0)");
            s.execute("INSERT INTO connectors (tenant_id, connector_id, system_name, auth_method, created_at) VALUES"
                    + " ('tn_a','cn_1','one','hmac',0), ('tn_a','cn_2','two','hmac',0), ('tn_b','cn_1','three','hmac',0)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (tenant_id, connector_id, event_id, event_type, received_at, body) VALUES (?,?,?,?,?,?)")) {
                String[][] owners = {{"tn_a", "cn_1"}, {"tn_a", "cn_2"}, {"tn_b", "cn_1"}};
                for (int i = 0; i < 300; i++) {
                    String[] o = owners[i % 3 == 2 ? 2 : i % 5 == 0 ? 1 : 0];
                    ps.setString(1, o[0]);
                    ps.setString(2, o[1]);
                    ps.setString(3, "ev-" + i);
                    ps.setString(4, i % 7 == 0 ? "alarm" : "reading");
                    ps.setLong(5, 1_000_000L + i);
                    ps.setBytes(6, "{}".getBytes());
                    ps.executeUpdate();
                }
            }
            s.execute("INSERT INTO outbox (event_seq, created_at) SELECT seq, received_at FROM events WHERE seq > 250");
            assertThat(one(c, "PRAGMA auto_vacuum")).isZero();
        }

        long before = System.currentTimeMillis();
        Database db = Database.open(file);
        db.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(rows(c, "SELECT tenant_id || '/' || connector_id || '/' || event_type, events FROM event_counts"))
                    .isEqualTo(rows(c, "SELECT tenant_id || '/' || connector_id || '/' || event_type, count(*) FROM events GROUP BY 1"));
            assertThat(one(c, "SELECT max(last_received_at) FROM event_counts WHERE tenant_id = 'tn_b'")).isEqualTo(1_000_299L);
            assertThat(rows(c, "SELECT tenant_id, events FROM outbox_counts"))
                    .isEqualTo(rows(c, "SELECT e.tenant_id, count(*) FROM outbox o JOIN events e ON e.seq = o.event_seq GROUP BY 1"));
            assertThat(one(c, "PRAGMA auto_vacuum")).as("an existing database keeps its mode; freed pages are reused").isZero();
            assertThat(one(c, "SELECT age_pruning_from FROM retention_site")).isBetween(before + 86_400_000L - 5_000, before + 86_400_000L + 60_000);
            assertThat(one(c, "SELECT min_free_disk_percent FROM retention_site")).isEqualTo(10);
            assertThat(one(c, "SELECT max(version) FROM schema_version")).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aNewDatabaseGivesFreedPagesBackAndPrunesByAgeAtOnce() throws Exception {
        Path file = TempDirs.create("airotech-new").resolve("airotech.db");
        Files.deleteIfExists(file);
        Database.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(one(c, "PRAGMA auto_vacuum")).as("incremental").isEqualTo(2);
            assertThat(one(c, "SELECT age_pruning_from FROM retention_site")).isZero();
            assertThat(one(c, "SELECT count(*) FROM event_counts")).isZero();
        }
    }
}
