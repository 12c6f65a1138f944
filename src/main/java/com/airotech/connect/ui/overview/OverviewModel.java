package com.airotech.connect.ui.overview;

import com.airotech.connect.app.Platform;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.status.StatusReport;
import java.util.EnumMap;
import com.airotech.connect.tenant.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the overview shows of one tenant, read in one go off the FX thread every 10 s: only reads
 * that indexes and maintained summaries serve, so it costs the same at any size. The audit chain's
 * check reads the whole trail and runs on its own, slower cadence ({@link OverviewController}).
 */
public record OverviewModel(int active, int inGrace, int revoked, Map<AuthMethod, Integer> byMethod, long eventsStored,
                     Instant lastEvent, List<AuditEntry> latestAudit,
                     Map<ConnectionStatus, Integer> connections, StatusReport status) {

    static final OverviewModel NONE = new OverviewModel(0, 0, 0, Map.of(), 0, null, List.of(), Map.of(), null);

    public static OverviewModel read(Platform p, Principal principal) {
        if (principal == null) return NONE;
        List<Connector> cs = p.connectors().list(principal);
        int active = 0;
        int grace = 0;
        int revoked = 0;
        Map<AuthMethod, Integer> byMethod = new TreeMap<>();
        for (Connector c : cs) {
            if (c.active()) {
                active++;
                byMethod.merge(c.authMethod(), 1, Integer::sum);
                if (c.previousValidUntil() != null) grace++;
            } else {
                revoked++;
            }
        }
        Instant last = p.ingest().lastReceivedByConnector(principal).values().stream().max(Instant::compareTo).orElse(null);
        Map<ConnectionStatus, Integer> byHealth = new EnumMap<>(ConnectionStatus.class);
        for (Connection c : p.connections().list(principal)) byHealth.merge(c.status(), 1, Integer::sum);
        return new OverviewModel(active, grace, revoked, byMethod, p.ingest().count(principal), last,
                p.audit().latest(principal.tenantId(), 8), byHealth, p.status().operatorReport(principal));
    }
}
