package com.airotech.connect.audit;

import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes audit entries as CSV (RFC 4180) or as a JSON array of the API's entry objects, one entry
 * at a time, so an export of any size streams from the pages it is read in.
 */
public final class AuditExport implements AutoCloseable {
    public enum Format { CSV, JSON }

    private final Writer out;
    private final Format format;
    private long written;

    public AuditExport(Writer out, Format format) throws IOException {
        this.out = out;
        this.format = format;
        if (format == Format.CSV) out.write("id,at,actor,action,target,detail\r\n");
        else out.write("[");
    }

    public void write(AuditEntry e) throws IOException {
        if (format == Format.CSV) {
            out.write(String.join(",", csv(e.id()), csv(Times.format(e.at())), csv(e.actor()), csv(e.action()),
                    csv(e.target() == null ? "" : e.target()), csv(Json.write(e.detail()))));
            out.write("\r\n");
        } else {
            out.write(written == 0 ? "\n  " : ",\n  ");
            out.write(Json.write(e.toJson()));
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
