package com.airotech.connect.ui.audit;

import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditExport;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Formats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * The audit trail screen's state: the filter, the page in view (cursor paging, so any size pages
 * the same), the chain check and exports.
 */
public final class AuditModel {
    static final int PAGE_SIZE = 100;

    /** The filter as typed; empty strings and nulls mean "any". */
    record Filter(LocalDate from, LocalDate to, String action, String actor, String connectorId, String text) {
        static final Filter NONE = new Filter(null, null, null, null, null, null);

        AuditQuery query(int limit, Long after, ZoneId zone) {
            Instant f = from == null ? null : from.atStartOfDay(zone).toInstant();
            Instant t = to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant();
            return new AuditQuery(f, t, blank(action), blank(actor), blank(connectorId), blank(text), limit, after);
        }

        private static String blank(String s) { return s == null || s.isBlank() ? null : s.strip(); }
    }

    private final ConsoleContext ctx;
    private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
    private final Deque<Long> previousCursors = new ArrayDeque<>();
    private final ReadOnlyStringWrapper pageText = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper hasPrevious = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<AuditLog.Verification> chain = new ReadOnlyObjectWrapper<>();
    private Filter filter = Filter.NONE;
    private Long cursor;
    private String nextCursor;
    private int pageNumber = 1;

    AuditModel(ConsoleContext ctx) { this.ctx = ctx; }

    ObservableList<AuditEntry> entries() { return entries; }
    javafx.beans.property.ReadOnlyStringProperty pageText() { return pageText.getReadOnlyProperty(); }
    javafx.beans.property.ReadOnlyBooleanProperty hasNext() { return hasNext.getReadOnlyProperty(); }
    javafx.beans.property.ReadOnlyBooleanProperty hasPrevious() { return hasPrevious.getReadOnlyProperty(); }
    javafx.beans.property.ReadOnlyObjectProperty<AuditLog.Verification> chain() { return chain.getReadOnlyProperty(); }

    /** Applies a filter and shows its first page. */
    void apply(Filter f) {
        f.query(1, null, ZoneId.systemDefault()); // validates before anything changes
        filter = f;
        previousCursors.clear();
        cursor = null;
        pageNumber = 1;
        load();
    }

    void next() {
        if (nextCursor == null) return;
        previousCursors.push(cursor == null ? -1L : cursor);
        cursor = AuditLog.parseCursor(nextCursor);
        pageNumber++;
        load();
    }

    void previous() {
        if (previousCursors.isEmpty()) return;
        long c = previousCursors.pop();
        cursor = c < 0 ? null : c;
        pageNumber--;
        load();
    }

    void reload() { load(); }

    private void load() {
        Principal p = ctx.principal();
        if (p == null) {
            entries.clear();
            pageText.set("");
            hasNext.set(false);
            hasPrevious.set(false);
            return;
        }
        AuditQuery q = filter.query(PAGE_SIZE, cursor, ZoneId.systemDefault());
        int page = pageNumber;
        ctx.background().call(() -> ctx.platform().audit().page(p.tenantId(), q), r -> shown(r, page), ctx::failed);
    }

    private void shown(AuditPage page, int number) {
        entries.setAll(page.entries());
        nextCursor = page.nextCursor();
        hasNext.set(nextCursor != null);
        hasPrevious.set(!previousCursors.isEmpty());
        long first = (long) (number - 1) * PAGE_SIZE + 1;
        pageText.set(page.entries().isEmpty() ? (number == 1 ? "No entries match" : "Page " + number)
                : "Page " + number + " · entries " + first + "–" + (first + page.entries().size() - 1));
    }

    void verifyChain() {
        ctx.background().call(() -> ctx.platform().audit().verify(), chain::set, ctx::failed);
    }

    /** Writes every entry that matches the current filter to {@code target}, page by page. */
    Task<Long> export(Path target, AuditExport.Format format) {
        Principal p = ctx.principal();
        Filter f = filter;
        AuditLog audit = ctx.platform().audit();
        Task<Long> t = new Task<>() {
            @Override
            protected Long call() throws IOException {
                updateTitle("Exporting the audit trail to " + target.getFileName());
                updateProgress(-1, 1);
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                long n = 0;
                try (AuditExport out = new AuditExport(new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)), format, audit.keyFingerprint())) {
                    Long after = null;
                    do {
                        if (isCancelled()) break;
                        AuditPage page = audit.page(p.tenantId(), f.query(AuditQuery.MAX_LIMIT, after, ZoneId.systemDefault()));
                        for (AuditEntry e : page.entries()) out.write(e);
                        n += page.entries().size();
                        updateMessage("Exporting the audit trail: " + n + " entries written");
                        after = page.nextCursor() == null ? null : AuditLog.parseCursor(page.nextCursor());
                    } while (after != null);
                }
                if (isCancelled()) {
                    Files.deleteIfExists(tmp);
                    return n;
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                updateProgress(1, 1);
                return n;
            }
        };
        t.setOnSucceeded(e -> ctx.notifySuccess("Exported " + Formats.count(t.getValue(), "audit entry", "audit entries") + " to " + target + "."));
        t.setOnCancelled(e -> ctx.notifyInfo("The export was cancelled; no file was written."));
        t.setOnFailed(e -> ctx.failed(t.getException()));
        return ctx.background().runVisible(t);
    }
}
