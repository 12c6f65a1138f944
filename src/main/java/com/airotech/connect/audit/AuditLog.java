package com.airotech.connect.audit;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.secret.SealedValueException;
import com.airotech.connect.secret.Sealer;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.Database;
import com.airotech.connect.store.StorageException;
import com.airotech.connect.store.WriteContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant audit trail. Entries are appended inside the transaction of the change they record,
 * and chained per tenant: each entry stores the previous entry's hash and the HMAC-SHA256, under
 * the {@link AuditKey}, of the previous hash with its own canonical content; the chain's head is
 * kept apart, sealed by its own HMAC, so that removing the newest entry is caught as well. Without
 * the key nobody can write a chain that verifies, even with write access to the database.
 *
 * <p>Chains begun before the key existed (databases made by older versions) were plain SHA-256:
 * they still verify, and continue keyed from a marked point, the head's {@code keyed_from}, which
 * the head's HMAC covers; {@link #verify()} names that point for each such tenant.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    static final String GENESIS = "0".repeat(64);

    private final Database db;
    private final Clock clock;
    private final AuditKey key;
    private final String expectedFingerprint;

    /** The data directory's record of the audit key's fingerprint (not the key). */
    public static final String KEY_MARKER = "audit-key.sha256";

    /**
     * The platform's trail, keyed: the key is loaded (made on first start) from the database, every
     * chain not keyed yet continues keyed from here, and the data directory remembers the key's
     * fingerprint, so a key row replaced in the database is caught by {@link #verify()}.
     */
    public static AuditLog openKeyed(DataDirectory dir, Database db, Sealer masterKey, Clock clock) {
        AuditKey key;
        try {
            key = AuditKey.loadOrCreate(db, masterKey, clock);
        } catch (SealedValueException e) {
            throw new StorageException("The audit chain's key in the database does not open with this data directory's master key. "
                    + "Restore airotech.db and master.key from the same backup.");
        }
        Path marker = dir.resolve(KEY_MARKER);
        String expected = null;
        try {
            if (Files.exists(marker)) {
                expected = Files.readString(marker, StandardCharsets.US_ASCII).strip();
            } else {
                DataDirectory.writeKeyFile(marker, (key.fingerprint() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            log.warn("could not read or write {} ({}); audit verify cannot tell a replaced audit key", marker, e.getClass().getSimpleName());
        }
        AuditLog audit = new AuditLog(db, clock, key, expected);
        int sealed = audit.sealUnkeyedHeads();
        if (sealed > 0) log.info("the audit chains of {} tenants continue keyed (HMAC-SHA256) from their next entry", sealed);
        return audit;
    }

    /** An unkeyed trail (SHA-256 only): for tools without the master key. */
    public AuditLog(Database db, Clock clock) { this(db, clock, null, null); }

    /**
     * @param key the chain's key (null: unkeyed)
     * @param expectedFingerprint the fingerprint the data directory recorded for the key, or null; another
     *                            key in the database (its row replaced) makes {@link #verify()} fail
     */
    public AuditLog(Database db, Clock clock, AuditKey key, String expectedFingerprint) {
        this.db = db;
        this.clock = clock;
        this.key = key;
        this.expectedFingerprint = expectedFingerprint;
    }

    /** The key itself, for the operator to hand to an auditor; the caller destroys it. */
    public com.airotech.connect.common.Secret keyMaterial() {
        if (key == null) throw new IllegalStateException("This audit trail has no key.");
        return key.material();
    }

    /** The key's fingerprint (lowercase hex SHA-256 of the key), or null when the trail is unkeyed. */
    public String keyFingerprint() { return key == null ? null : key.fingerprint(); }

    /**
     * Marks where every chain that is not keyed yet continues keyed (after its newest entry) and seals
     * its head. Run when the platform opens, so no head stays unsealed once a key exists.
     */
    public int sealUnkeyedHeads() {
        if (key == null) return 0;
        return db.write(w -> {
            List<Object[]> heads = new ArrayList<>();
            try (ResultSet rs = w.prepare("SELECT tenant_id, n, hash FROM audit_heads WHERE keyed_from IS NULL").executeQuery()) {
                while (rs.next()) heads.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3)});
            }
            PreparedStatement up = w.prepare("UPDATE audit_heads SET keyed_from = ?, head_mac = ? WHERE tenant_id = ? AND keyed_from IS NULL");
            for (Object[] h : heads) {
                long keyedFrom = (Long) h[1] + 1;
                up.setLong(1, keyedFrom);
                up.setString(2, key.mac(headInput((String) h[0], (Long) h[1], (String) h[2], keyedFrom)));
                up.setString(3, (String) h[0]);
                up.executeUpdate();
            }
            return heads.size();
        });
    }

    /** Appends an entry within the caller's write transaction. */
    public AuditEntry append(WriteContext w, String tenantId, String actor, AuditAction action, String target, ObjectNode detail) throws SQLException {
        return appendEntry(w, tenantId, actor, action.wire(), target, detail);
    }

    /** Appends an entry in its own transaction. */
    public AuditEntry append(String tenantId, String actor, AuditAction action, String target, ObjectNode detail) {
        return db.write(w -> append(w, tenantId, actor, action, target, detail));
    }

    private AuditEntry appendEntry(WriteContext w, String tenantId, String actor, String action, String target, ObjectNode detail) throws SQLException {
        long n = 0;
        String prev = GENESIS;
        Long keyedFrom = null;
        PreparedStatement head = w.prepare("SELECT n, hash, keyed_from FROM audit_heads WHERE tenant_id = ?");
        head.setString(1, tenantId);
        try (ResultSet rs = head.executeQuery()) {
            if (rs.next()) {
                n = rs.getLong(1);
                prev = rs.getString(2);
                long kf = rs.getLong(3);
                keyedFrom = rs.wasNull() ? null : kf;
            }
        }
        Instant at = clock.instant();
        long atMillis = at.toEpochMilli();
        String id = Crypto.newId("au");
        String detailText = Json.write(detail == null ? Json.object() : detail);
        long next = n + 1;
        // a new chain is keyed from its first entry; one begun before the key, from here on
        if (key != null && keyedFrom == null) keyedFrom = next;
        String input = chainInput(prev, tenantId, next, id, atMillis, actor, action, target, detailText);
        String hash = key != null && next >= keyedFrom ? key.mac(input) : Crypto.sha256Hex(input);
        PreparedStatement ins = w.prepare("INSERT INTO audit (tenant_id, n, entry_id, at, actor, action, target, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)");
        ins.setString(1, tenantId);
        ins.setLong(2, next);
        ins.setString(3, id);
        ins.setLong(4, atMillis);
        ins.setString(5, actor);
        ins.setString(6, action);
        ins.setString(7, target);
        ins.setString(8, detailText);
        ins.setString(9, prev);
        ins.setString(10, hash);
        ins.executeUpdate();
        PreparedStatement up = w.prepare("INSERT INTO audit_heads (tenant_id, n, hash, keyed_from, head_mac) VALUES (?,?,?,?,?) "
                + "ON CONFLICT (tenant_id) DO UPDATE SET n = excluded.n, hash = excluded.hash, keyed_from = excluded.keyed_from, head_mac = excluded.head_mac");
        up.setString(1, tenantId);
        up.setLong(2, next);
        up.setString(3, hash);
        up.setObject(4, keyedFrom);
        up.setString(5, key == null ? null : key.mac(headInput(tenantId, next, hash, keyedFrom)));
        up.executeUpdate();
        return new AuditEntry(id, Instant.ofEpochMilli(atMillis), actor, action, target, Json.tree(detailText));
    }

    /** What an entry's hash is computed over: the previous hash, a newline, and the compact JSON array of its content. */
    static String chainInput(String prev, String tenantId, long n, String id, long at, String actor, String action, String target, String detail) {
        ArrayNode canonical = Json.MAPPER.createArrayNode()
                .add(tenantId).add(n).add(id).add(at).add(actor).add(action).add(target).add(detail);
        return prev + "\n" + Json.write(canonical);
    }

    /** The unkeyed hash of chains begun before the key existed. */
    static String chainHash(String prev, String tenantId, long n, String id, long at, String actor, String action, String target, String detail) {
        return Crypto.sha256Hex(chainInput(prev, tenantId, n, id, at, actor, action, target, detail));
    }

    /** What a head's MAC covers: the tenant, its newest entry and hash, and where its chain is keyed from. */
    static String headInput(String tenantId, long n, String hash, Long keyedFrom) {
        return "audit-head\n" + tenantId + "\n" + n + "\n" + hash + "\n" + (keyedFrom == null ? "" : keyedFrom);
    }

    /** A page of the tenant's trail, oldest first. */
    public AuditPage page(String tenantId, AuditQuery q) {
        return db.read(c -> {
            long keyedFrom = keyedFrom(c, tenantId);
            StringBuilder sql = new StringBuilder("SELECT seq, entry_id, at, actor, action, target, detail, n, prev_hash, hash FROM audit WHERE tenant_id = ?");
            List<Object> args = new ArrayList<>();
            args.add(tenantId);
            if (q.afterSeq() != null) { sql.append(" AND seq > ?"); args.add(q.afterSeq()); }
            // entries are appended in time order: a time range is a seq range, found through audit_tenant_at
            if (q.from() != null) { sql.append(" AND seq >= ? AND +at >= ?"); args.add(firstSeqAt(c, tenantId, q.from())); args.add(q.from().toEpochMilli()); }
            if (q.to() != null) { sql.append(" AND seq < ? AND +at < ?"); args.add(firstSeqAt(c, tenantId, q.to())); args.add(q.to().toEpochMilli()); }
            if (q.action() != null) { sql.append(" AND action = ?"); args.add(q.action()); }
            if (q.actor() != null) { sql.append(" AND actor = ?"); args.add(q.actor()); }
            if (q.target() != null) { sql.append(" AND target = ?"); args.add(q.target()); }
            if (q.text() != null) {
                sql.append(" AND (instr(lower(detail), lower(?)) > 0 OR instr(lower(actor), lower(?)) > 0 OR instr(lower(action), lower(?)) > 0 OR instr(lower(coalesce(target,'')), lower(?)) > 0)");
                for (int i = 0; i < 4; i++) args.add(q.text());
            }
            sql.append(" ORDER BY seq LIMIT ?");
            args.add(q.limit() + 1);
            List<AuditEntry> out = new ArrayList<>();
            long lastSeq = -1;
            boolean more = false;
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (out.size() == q.limit()) { more = true; break; }
                        lastSeq = rs.getLong(1);
                        long n = rs.getLong(8);
                        AuditEntry.Chain chain = new AuditEntry.Chain(tenantId, n, rs.getLong(3), rs.getString(7), rs.getString(9), rs.getString(10),
                                n >= keyedFrom);
                        out.add(new AuditEntry(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                                rs.getString(5), rs.getString(6), Json.tree(rs.getString(7)), chain));
                    }
                }
            }
            return new AuditPage(out, more ? Long.toString(lastSeq) : null);
        });
    }

    /** The seq of the tenant's first entry written at or after {@code t}, or {@link Long#MAX_VALUE} when none was. */
    private static long firstSeqAt(java.sql.Connection c, String tenantId, Instant t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit WHERE tenant_id = ? AND at >= ? ORDER BY at, seq LIMIT 1")) {
            ps.setString(1, tenantId);
            ps.setLong(2, t.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
            }
        }
    }

    /** The tenant's newest entries, newest first (for status views). */
    public List<AuditEntry> latest(String tenantId, int limit) {
        return db.read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT entry_id, at, actor, action, target, detail FROM audit WHERE tenant_id = ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, tenantId);
                ps.setInt(2, Math.max(1, Math.min(limit, AuditQuery.MAX_LIMIT)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                rs.getString(4), rs.getString(5), Json.tree(rs.getString(6))));
                    }
                }
            }
            return out;
        });
    }

    public static Long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) return null;
        try {
            long v = Long.parseLong(cursor);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("Field 'cursor' is not a cursor this server gave out.");
        }
    }

    /**
     * The result of checking every tenant's chain: whether it is keyed and with which key
     * (fingerprint), and for chains begun before the key existed, where keying began.
     */
    public record Verification(boolean intact, int tenants, long entries, String problem, boolean keyed, String keyFingerprint,
                               List<UnkeyedPrefix> unkeyedPrefixes) {
        public Verification {
            unkeyedPrefixes = unkeyedPrefixes == null ? List.of() : List.copyOf(unkeyedPrefixes);
        }
    }

    /** A chain whose entries before {@code keyedFrom} were written before the chain was keyed (SHA-256 only). */
    public record UnkeyedPrefix(String tenantId, long keyedFrom) {
        /** A sentence for the operator. */
        public String describe() {
            return "tenant " + tenantId + ": entries #1-#" + (keyedFrom - 1) + " were written before the chain was keyed (SHA-256 only); keyed from #" + keyedFrom;
        }
    }

    /**
     * Walks every tenant's chain; names the first entry that was altered, removed or reordered, or a head
     * that was. A chain that retention has pruned starts from its anchor (the number and hash of the last
     * entry removed), and the newest {@code audit.pruned} entry of the chain must name that same anchor, so
     * removing entries from the start outside retention is caught as well.
     */
    public Verification verify() {
        return db.read(c -> {
            List<String> tenants = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM audit_heads UNION SELECT DISTINCT tenant_id FROM audit ORDER BY 1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) tenants.add(rs.getString(1));
            }
            String fingerprint = keyFingerprint();
            List<UnkeyedPrefix> prefixes = new ArrayList<>();
            long total = 0;
            if (key != null && expectedFingerprint != null && !expectedFingerprint.equals(key.fingerprint())) {
                return broken(tenants.size(), total, "the audit key in the database (fingerprint " + key.fingerprint() + ") is not the one this data "
                        + "directory was keyed with (" + expectedFingerprint + "): the key was replaced, so no chain can be trusted", prefixes);
            }
            for (String t : tenants) {
                Long headN = null;
                String headHash = null;
                Long keyedFrom = null;
                String headMac = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT n, hash, keyed_from, head_mac FROM audit_heads WHERE tenant_id = ?")) {
                    ps.setString(1, t);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            headN = rs.getLong(1);
                            headHash = rs.getString(2);
                            long kf = rs.getLong(3);
                            keyedFrom = rs.wasNull() ? null : kf;
                            headMac = rs.getString(4);
                        }
                    }
                }
                if (keyedFrom != null && keyedFrom > 1) prefixes.add(new UnkeyedPrefix(t, keyedFrom));
                Anchor anchor = anchor(c, t);
                long expectN = anchor == null ? 1 : anchor.n() + 1;
                String prev = anchor == null ? GENESIS : anchor.hash();
                JsonNode lastPruned = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT n, entry_id, at, actor, action, target, detail, prev_hash, hash FROM audit WHERE tenant_id = ? ORDER BY seq")) {
                    ps.setString(1, t);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long n = rs.getLong(1);
                            String id = rs.getString(2);
                            String label = "tenant " + t + ": audit entry " + id + " (#" + n + ")";
                            if (n != expectN || !prev.equals(rs.getString(8))) {
                                String why = n > expectN && !exists(c, t, expectN) ? "an entry before it was removed" : "entries were reordered or its link was altered";
                                return broken(tenants.size(), total, label + " does not follow entry #" + (expectN - 1) + ": " + why, prefixes);
                            }
                            String input = chainInput(prev, t, n, id, rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7));
                            boolean keyedEntry = keyedFrom != null && n >= keyedFrom;
                            if (keyedEntry && key == null) {
                                return broken(tenants.size(), total, label + " is keyed, and this process has no audit key to check it", prefixes);
                            }
                            String recomputed = keyedEntry ? key.mac(input) : Crypto.sha256Hex(input);
                            if (!java.security.MessageDigest.isEqual(recomputed.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                                    rs.getString(9).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                                return broken(tenants.size(), total, label + " was altered after it was written", prefixes);
                            }
                            if (PRUNED.equals(rs.getString(5))) lastPruned = Json.tree(rs.getString(7));
                            prev = rs.getString(9);
                            expectN++;
                            total++;
                        }
                    }
                }
                if (anchor != null && (lastPruned == null || lastPruned.path("anchor_n").asLong(-1) != anchor.n()
                        || !anchor.hash().equals(lastPruned.path("anchor_hash").asText()))) {
                    return broken(tenants.size(), total, "tenant " + t + ": the chain starts after entry #" + anchor.n()
                            + ", but no audit.pruned entry records that pruning: entries at its start were removed outside retention", prefixes);
                }
                if (headN == null) {
                    return broken(tenants.size(), total, "tenant " + t + ": the chain head is missing", prefixes);
                }
                if (headN != expectN - 1 || !headHash.equals(prev)) {
                    return broken(tenants.size(), total, "tenant " + t + ": audit entry #" + headN
                            + " (the newest) was removed or altered; the chain ends at #" + (expectN - 1), prefixes);
                }
                // the head's MAC covers where keying began: moving that point (to pass keyed entries off as older) is caught here
                if (key != null && headMac == null) {
                    return broken(tenants.size(), total, "tenant " + t + ": the chain head carries no MAC (it was written without the audit key)", prefixes);
                }
                if (key != null && !java.security.MessageDigest.isEqual(headMac.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        key.mac(headInput(t, headN, headHash, keyedFrom)).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                    return broken(tenants.size(), total, "tenant " + t + ": the chain head was altered (its MAC does not verify)", prefixes);
                }
            }
            return new Verification(true, tenants.size(), total, null, key != null, fingerprint, prefixes);
        });
    }

    // ------------------------------------------------------------------ pruning (audit retention)

    /** The action that records a pruning of the trail, and names the anchor the chain starts from. */
    public static final String PRUNED = AuditAction.AUDIT_PRUNED.wire();

    /** Where a pruned chain starts: the number and hash of the last entry removed. */
    public record Anchor(long n, String hash, long prunedTotal) {}

    /** The tenant's anchor, or null when its trail was never pruned. */
    public static Anchor anchor(java.sql.Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n, hash, pruned_total FROM audit_anchors WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Anchor(rs.getLong(1), rs.getString(2), rs.getLong(3)) : null;
            }
        }
    }

    /**
     * Removes up to {@code limit} of the tenant's oldest entries written before {@code before}, within
     * the caller's write transaction: the longest run from the start of the chain that is all older,
     * so the chain stays one unbroken run. Moves the anchor to the last entry removed and records the
     * pruning as an {@code audit.pruned} entry (by {@code actor}) naming that anchor, in the same
     * transaction. Returns how many entries went.
     */
    public int prune(WriteContext w, String tenantId, Instant before, int limit, String actor) throws SQLException {
        PreparedStatement q = w.prepare("SELECT n, at, hash FROM audit WHERE tenant_id = ? ORDER BY n LIMIT ?");
        q.setString(1, tenantId);
        q.setInt(2, limit);
        long firstN = -1;
        long lastN = -1;
        String lastHash = null;
        int count = 0;
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next() && rs.getLong(2) < before.toEpochMilli()) {
                if (firstN < 0) firstN = rs.getLong(1);
                lastN = rs.getLong(1);
                lastHash = rs.getString(3);
                count++;
            }
        }
        if (count == 0) return 0;
        PreparedStatement del = w.prepare("DELETE FROM audit WHERE tenant_id = ? AND n >= ? AND n <= ?");
        del.setString(1, tenantId);
        del.setLong(2, firstN);
        del.setLong(3, lastN);
        del.executeUpdate();
        PreparedStatement anchor = w.prepare("INSERT INTO audit_anchors (tenant_id, n, hash, pruned_total, updated_at) VALUES (?,?,?,?,?)"
                + " ON CONFLICT (tenant_id) DO UPDATE SET n = excluded.n, hash = excluded.hash,"
                + " pruned_total = audit_anchors.pruned_total + excluded.pruned_total, updated_at = excluded.updated_at");
        anchor.setString(1, tenantId);
        anchor.setLong(2, lastN);
        anchor.setString(3, lastHash);
        anchor.setLong(4, count);
        anchor.setLong(5, clock.millis());
        anchor.executeUpdate();
        append(w, tenantId, actor, AuditAction.AUDIT_PRUNED, tenantId, Json.object().put("count", count).put("first_n", firstN).put("last_n", lastN)
                .put("anchor_n", lastN).put("anchor_hash", lastHash).put("before", com.airotech.connect.common.Times.format(before)));
        return count;
    }

    private Verification broken(int tenants, long entries, String problem, List<UnkeyedPrefix> prefixes) {
        return new Verification(false, tenants, entries, problem, key != null, keyFingerprint(), prefixes);
    }

    private static long keyedFrom(java.sql.Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT keyed_from FROM audit_heads WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Long.MAX_VALUE;
                long kf = rs.getLong(1);
                return rs.wasNull() ? Long.MAX_VALUE : kf;
            }
        }
    }

    private static boolean exists(java.sql.Connection c, String tenantId, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM audit WHERE tenant_id = ? AND n = ?")) {
            ps.setString(1, tenantId);
            ps.setLong(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static JsonNode detailOf(String text) { return Json.tree(text); }
}
