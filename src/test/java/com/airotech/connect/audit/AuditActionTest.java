package com.airotech.connect.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.store.Database;
import com.airotech.connect.testing.ManualClock;
import com.airotech.connect.testing.TempDirs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit actions are a closed list whose stored names never change. */
class AuditActionTest {
    @Test
    void everyActionHasADistinctDottedLowerCaseWireName() {
        List<String> names = AuditAction.wireNames();
        assertThat(names).doesNotHaveDuplicates().hasSize(AuditAction.values().length);
        assertThat(names).allMatch(n -> n.matches("[a-z_]+\\.[a-z_]+"));
        assertThat(AuditAction.values()).as("constant names follow the wire names")
                .allMatch(a -> a.name().toLowerCase(java.util.Locale.ROOT).equals(a.wire().replace('.', '_')));
    }

    @Test
    void anEntryIsStoredAndChainedUnderTheActionsWireName() {
        ManualClock clock = ManualClock.startingNow();
        try (Database db = Database.open(TempDirs.create("airotech-audit-action").resolve("a.db"))) {
            AuditLog audit = new AuditLog(db, clock);
            AuditEntry e = audit.append("tn_a", "ops", AuditAction.EVENTS_PRUNED_UNPUBLISHED, "events", Json.object());
            assertThat(e.action()).isEqualTo("events.pruned_unpublished");
            assertThat(audit.latest("tn_a", 1)).extracting(AuditEntry::action).containsExactly("events.pruned_unpublished");
            assertThat(audit.page("tn_a", new AuditQuery(null, null, "events.pruned_unpublished", null, null, null, 10, null)).entries()).hasSize(1);
            assertThat(audit.verify().intact()).isTrue();
        }
    }
}
