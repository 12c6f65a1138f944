package com.airotech.connect.audit;

import java.util.List;

/** A page of entries, oldest first, and the cursor of the next page (null at the end). */
public record AuditPage(List<AuditEntry> entries, String nextCursor) {
    public AuditPage { entries = List.copyOf(entries); }
}
