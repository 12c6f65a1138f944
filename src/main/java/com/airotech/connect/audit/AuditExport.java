package com.airotech.connect.audit;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes audit entries as CSV (RFC 4180) or as a JSON array of the API's entry objects, one entry
 * at a time, so an export of any size streams from the pages it is read in. Entries read with their
 * chain links also carry what an auditor needs to check each of them offline: the tenant, the
 * entry's number, its time in epoch milliseconds, the detail exactly as stored, the previous hash,
 * its hash, whether it is keyed, and the audit key's fingerprint (docs/audit.md shows how, with
 * the key the operator hands over).
 */
public final class AuditExport implements AutoCloseable {
    public enum Format { CSV, JSON }

    static final String CSV_HEADER = "id,at,actor,action,target,detail,tenant_id,n,at_ms,prev_hash,hash,keyed,key_fingerprint";

    private final Writer out;
    private final Format format;
    private final String keyFingerprint;
    private long written;

    public AuditExport(Writer out, Format format) throws IOException { this(out, format, null); }

    /** @param keyFingerprint the audit key's fingerprint, written with every keyed entry (null when the trail is unkeyed) */
    public AuditExport(Writer out, Format format, String keyFingerprint) throws IOException {
        this.out = out;
        this.format = format;
        this.keyFingerprint = keyFingerprint;
        if (format == Format.CSV) out.write(CSV_HEADER + "\r\n");
        else out.write("[");
    }

    public void write(AuditEntry e) throws IOException {
        AuditEntry.Chain ch = e.chain();
        if (format == Format.CSV) {
            String detail = ch != null ? ch.detailText() : Json.write(e.detail());
            String chain = ch == null ? ",,,,,," : String.join(",", csv(ch.tenantId()), Long.toString(ch.n()), Long.toString(ch.atMillis()),
                    ch.prevHash(), ch.hash(), Boolean.toString(ch.keyed()), ch.keyed() && keyFingerprint != null ? keyFingerprint : "");
            out.write(String.join(",", csv(e.id()), csv(Times.format(e.at())), csv(e.actor()), csv(e.action()),
                    csv(e.target() == null ? "" : e.target()), csv(detail), chain));
            out.write("\r\n");
        } else {
            out.write(written == 0 ? "\n  " : ",\n  ");
            com.fasterxml.jackson.databind.node.ObjectNode o = e.toJson();
            if (ch != null) {
                com.fasterxml.jackson.databind.node.ObjectNode c = o.putObject("chain").put("tenant_id", ch.tenantId()).put("n", ch.n())
                        .put("at_ms", ch.atMillis()).put("detail_text", ch.detailText()).put("prev_hash", ch.prevHash()).put("hash", ch.hash())
                        .put("keyed", ch.keyed());
                if (ch.keyed() && keyFingerprint != null) c.put("key_fingerprint", keyFingerprint);
            }
            out.write(Json.write(o));
        }
        written++;
    }

    public long written() { return written; }

    static String csv(String v) {
        // a leading =, +, - or @ would be run as a formula by spreadsheets: quote it as text
        boolean formula = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0;
        if (!formula && v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
        return "\"" + (formula ? "'" : "") + v.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        if (format == Format.JSON) out.write(written == 0 ? "]\n" : "\n]\n");
        out.flush();
        out.close();
    }
}
