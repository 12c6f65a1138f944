package com.airotech.connect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.Main;
import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code audit verify} on a chain altered in the database behind the platform's back: exit 1, naming the entry. */
class AuditTamperIT {
    private Path dir;
    private List<String> ids;

    @BeforeEach
    void writeATrail() {
        dir = TestGateway.tempDir().resolve("data");
        try (Platform p = Platform.open(Config.defaults(dir).withPorts(0, -1))) {
            CreatedTenant t = p.tenants().create("acme", "ops@acme", "test");
            Principal who = new Principal(t.tenant().tenantId(), "ops@acme");
            for (int i = 0; i < 4; i++) {
                p.connectors().register(who, new RegistrationRequest("sys-" + i, null, AuthMethod.API_KEY, null, 60, null));
            }
            p.tenants().create("other", "ops@other", "test");
        }
        ids = new ArrayList<>();
        sql(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT entry_id FROM audit WHERE n > 0 ORDER BY seq")) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        });
        assertThat(ids).hasSize(6);
    }

    interface Sql { void run(Connection c) throws Exception; }

    private void sql(Sql s) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("airotech.db"))) {
            s.run(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code audit verify}; returns exit code and everything printed. */
    private record Run(int exit, String output) {}

    private Run verify() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int code = Main.run("audit", "verify", "--data-dir", dir.toString());
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void anIntactTrailVerifies() {
        Run r = verify();
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("\"intact\":true");
    }

    @Test
    void anAlteredDetailIsCaughtAndNamed() {
        String victim = ids.get(2);
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit SET detail = replace(detail, 'sys-1', 'sys-9') WHERE entry_id = ?")) {
                ps.setString(1, victim);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        });
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains(victim).contains("altered");
    }

    @Test
    void aDeletedEntryIsCaughtAndTheGapNamed() {
        String removed = ids.get(2);
        String next = ids.get(3);
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit WHERE entry_id = ?")) {
                ps.setString(1, removed);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        });
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains(next).contains("removed");
    }

    @Test
    void twoSwappedEntriesAreCaughtAndNamed() {
        String a = ids.get(1);
        String b = ids.get(2);
        sql(c -> {
            try (Statement s = c.createStatement()) {
                long seqA;
                long seqB;
                try (ResultSet rs = s.executeQuery("SELECT seq FROM audit WHERE entry_id = '" + a + "'")) { rs.next(); seqA = rs.getLong(1); }
                try (ResultSet rs = s.executeQuery("SELECT seq FROM audit WHERE entry_id = '" + b + "'")) { rs.next(); seqB = rs.getLong(1); }
                s.executeUpdate("UPDATE audit SET seq = -1 WHERE entry_id = '" + a + "'");
                s.executeUpdate("UPDATE audit SET seq = " + seqA + " WHERE entry_id = '" + b + "'");
                s.executeUpdate("UPDATE audit SET seq = " + seqB + " WHERE entry_id = '" + a + "'");
            }
        });
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains(b).contains("reordered");
    }

    @Test
    void theNewestEntryRemovedIsCaughtThroughTheChainHead() {
        String last = ids.get(4); // acme's newest; the other tenant's chain follows
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit WHERE entry_id = ?")) {
                ps.setString(1, last);
                ps.executeUpdate();
            }
        });
        Run r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("newest");
    }
}
