package com.airotech.connect.ui.overview;

import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.retention.RetentionStatus;
import com.airotech.connect.retention.StorageHealth;
import com.airotech.connect.status.StatusReport;
import java.time.Instant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.ScreenController;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Gateway status and CA fingerprint, connectors and connections by state, the Kafka outbox, storage
 * health and retention, request rate and the latest audit entries.
 */
public final class OverviewController implements ScreenController {
    static final int CHART_SECONDS = 120;
    /**
     * The audit chain's check reads every entry of every tenant: on opening, every five minutes, and
     * after the operator changed something here (at most every half minute).
     */
    static final int CHAIN_CHECK_SECONDS = 300;
    static final int CHAIN_AFTER_CHANGE_SECONDS = 30;

    private final ConsoleContext ctx;
    private final XYChart.Series<Number, Number> acceptedSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> rejectedSeries = new XYChart.Series<>();
    private long lastRefresh = Long.MIN_VALUE;
    private long lastChainCheck = Long.MIN_VALUE;
    private boolean chainChecking;
    private boolean chainStale;

    @FXML private Label gatewayStatus;
    @FXML private Label httpUrl;
    @FXML private Label httpsUrl;
    @FXML private Label dataDir;
    @FXML private Label connectorsActive;
    @FXML private Label connectorsMethods;
    @FXML private Label connectorsDetail;
    @FXML private Label eventsStored;
    @FXML private Label eventsDetail;
    @FXML private Label caFingerprint;
    @FXML private Label connectionsHealthy;
    @FXML private Label connectionsDetail;
    @FXML private Label connectionsAttention;
    @FXML private Label kafkaState;
    @FXML private Label kafkaDetail;
    @FXML private Label chainState;
    @FXML private Label chainDetail;
    @FXML private Label storageState;
    @FXML private Label storageDetail;
    @FXML private Label storageFree;
    @FXML private Label storageDatabase;
    @FXML private Label storageDataDir;
    @FXML private Label retentionDays;
    @FXML private Label retentionDetail;
    @FXML private Label retentionForced;
    @FXML private Label rateNow;
    @FXML private LineChart<Number, Number> rateChart;
    @FXML private TableView<AuditEntry> latestAudit;
    @FXML private TableColumn<AuditEntry, String> auditTime;
    @FXML private TableColumn<AuditEntry, String> auditActor;
    @FXML private TableColumn<AuditEntry, String> auditAction;
    @FXML private TableColumn<AuditEntry, String> auditTarget;

    public OverviewController(ConsoleContext ctx) { this.ctx = ctx; }

    @FXML
    private void initialize() {
        acceptedSeries.setName("accepted");
        rejectedSeries.setName("rejected");
        rateChart.getData().add(acceptedSeries);
        rateChart.getData().add(rejectedSeries);
        auditTime.setCellValueFactory(c -> new ReadOnlyStringWrapper(Formats.time(c.getValue().at())));
        auditActor.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().actor()));
        auditAction.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().action()));
        auditTarget.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().target()));
        ctx.gatewayStatus().addListener((o, was, s) -> showGateway(s));
        ctx.activeTenant().addListener((o, was, t) -> refresh());
        ctx.changes().addListener((o, was, n) -> {
            chainStale = true;
            refresh();
        });
        ctx.tick().addListener((o, was, n) -> everySecond(n.longValue()));
        showGateway(ctx.gatewayStatus().get());
        updateChart();
    }

    @Override
    public void shown() { refresh(); }

    private boolean inView() { return rateChart.getScene() != null; }

    private void everySecond(long tick) {
        if (!inView()) return;
        updateChart();
        if (tick - lastRefresh >= 10) refresh();
    }

    private void updateChart() {
        List<long[]> rates = ctx.feed().perSecond(CHART_SECONDS);
        List<XYChart.Data<Number, Number>> a = new java.util.ArrayList<>(rates.size());
        List<XYChart.Data<Number, Number>> r = new java.util.ArrayList<>(rates.size());
        for (int i = 0; i < rates.size(); i++) {
            int x = i - rates.size();
            a.add(new XYChart.Data<>(x, rates.get(i)[0]));
            r.add(new XYChart.Data<>(x, rates.get(i)[1]));
        }
        acceptedSeries.getData().setAll(a);
        rejectedSeries.getData().setAll(r);
        long[] last = rates.isEmpty() ? new long[2] : rates.get(rates.size() - 1);
        rateNow.setText(last[0] + " accepted/s · " + last[1] + " rejected/s · " + ctx.feed().acceptedTotal() + " accepted since the console opened");
    }

    private void refresh() {
        lastRefresh = ctx.tick().get();
        Principal p = ctx.principal();
        ctx.background().call(() -> OverviewModel.read(ctx.platform(), p), this::show, ctx::failed);
        boolean due = lastChainCheck == Long.MIN_VALUE || lastRefresh - lastChainCheck >= CHAIN_CHECK_SECONDS
                || chainStale && lastRefresh - lastChainCheck >= CHAIN_AFTER_CHANGE_SECONDS;
        if (!chainChecking && due) {
            lastChainCheck = lastRefresh;
            chainStale = false;
            chainChecking = true;
            ctx.background().call(() -> ctx.platform().audit().verify(), this::showChain, e -> {
                chainChecking = false;
                ctx.failed(e);
            });
        }
    }

    private void showChain(AuditLog.Verification chain) {
        chainChecking = false;
        if (chain.intact()) {
            chainState.setText("Intact");
            chainState.getStyleClass().setAll("label", "stat", "ok-text");
            long entries = chain.entries();
            long tenants = chain.tenants();
            chainDetail.setText(String.format("%,d %s of %d %s verified at %s", entries, entries == 1 ? "entry" : "entries",
                    tenants, tenants == 1 ? "tenant" : "tenants", Formats.clock(ctx.clock().instant())));
        } else {
            chainState.setText("Broken");
            chainState.getStyleClass().setAll("label", "stat", "error-text");
            chainDetail.setText(chain.problem());
        }
    }

    private void show(OverviewModel m) {
        boolean tenant = ctx.principal() != null;
        connectorsActive.setText(tenant ? Integer.toString(m.active()) : "—");
        connectorsMethods.setText(m.byMethod().entrySet().stream().map(e -> e.getValue() + "\u00a0" + e.getKey().wire()).collect(Collectors.joining(" · ")));
        connectorsMethods.setVisible(!m.byMethod().isEmpty());
        connectorsMethods.setManaged(!m.byMethod().isEmpty());
        connectorsDetail.setText(!tenant ? "Create or choose a tenant on the Tenants screen."
                : m.active() == 0 && m.revoked() == 0 ? "None registered yet: register one on the Connectors screen."
                : m.inGrace() + " rotating · " + m.revoked() + " revoked");
        eventsStored.setText(tenant ? String.format("%,d", m.eventsStored()) : "—");
        eventsDetail.setText(!tenant ? "" : "Last event: " + Formats.ago(m.lastEvent(), ctx.clock().instant()));
        latestAudit.getItems().setAll(m.latestAudit());
        showConnections(tenant, m.connections());
        showKafka(m.status());
        showStorage(m.status());
    }

    /** Disk full, below the floor and at capacity each say what is happening and what to do. */
    private void showStorage(StatusReport r) {
        StorageHealth.Snapshot s = r == null ? null : r.storage();
        if (s == null) {
            storageState.setText("—");
            storageState.getStyleClass().setAll("label", "stat");
            storageDetail.setText("");
            storageFree.setText("");
            storageDatabase.setText("");
            storageDataDir.setText("");
        } else {
            String pct = String.format(java.util.Locale.ROOT, "%.1f %%", s.freePercent());
            switch (s.state()) {
                case "disk_full" -> {
                    storageState.setText("Disk full");
                    storageState.getStyleClass().setAll("label", "stat", "error-text");
                    storageDetail.setText("Writes are refused (senders get 503 and retry) until there is space. Free space on the disk of "
                            + ctx.dataDir() + ", or lower the retention under Settings.");
                }
                case "below_disk_floor" -> {
                    storageState.setText("Below the disk floor");
                    storageState.getStyleClass().setAll("label", "stat", "error-text");
                    storageDetail.setText(pct + " free, under the floor of " + s.minFreeDiskPercent() + " %: the oldest events are being removed,"
                            + " published or not. Free space on the disk, or lower the retention.");
                }
                case "at_capacity" -> {
                    storageState.setText("At capacity");
                    storageState.getStyleClass().setAll("label", "stat", "warn-text");
                    storageDetail.setText("In the last 10 s more events arrived than the disk could commit: senders got 503 and retry.");
                }
                default -> {
                    storageState.setText("Healthy");
                    storageState.getStyleClass().setAll("label", "stat", "ok-text");
                    storageDetail.setText("Writes are stored; the disk floor is " + s.minFreeDiskPercent() + " % free.");
                }
            }
            storageFree.setText(Formats.bytes(s.freeBytes()) + " of " + Formats.bytes(s.totalBytes()) + " (" + pct + ")");
            storageDatabase.setText(Formats.bytes(s.databaseBytes()) + " · write-ahead log " + Formats.bytes(s.walBytes())
                    + (s.reusableBytes() > 0 ? " · " + Formats.bytes(s.reusableBytes()) + " reusable" : ""));
            storageDataDir.setText(Formats.bytes(s.dataDirBytes()));
        }
        RetentionStatus t = r == null ? null : r.retention();
        if (t == null) {
            retentionDays.setText("—");
            retentionDetail.setText("");
            retentionForced.setVisible(false);
            retentionForced.setManaged(false);
            return;
        }
        Instant now = ctx.clock().instant();
        retentionDays.setText(t.maxAgeDays() + (t.maxAgeDays() == 1 ? " day" : " days"));
        String oldest = t.oldestEventAt() == null ? "No events stored." : "Oldest stored event " + Formats.ago(t.oldestEventAt(), now) + ".";
        String pruned = t.eventsPruned() == 0 ? " Nothing pruned yet."
                : String.format(" %,d pruned, the last %s.", t.eventsPruned(), Formats.ago(t.lastPruneAt(), now));
        String waiting = t.agePruningFrom() != null && t.agePruningFrom().isAfter(now)
                ? " Pruning by age starts " + Formats.time(t.agePruningFrom()) + " (this database was upgraded): set a longer retention under Settings first if needed."
                : "";
        retentionDetail.setText(oldest + pruned + waiting);
        boolean forced = t.forcedPruned() > 0;
        retentionForced.setText(!forced ? "" : String.format("%,d %s removed early to keep the disk floor%s; the last at %s.", t.forcedPruned(),
                t.forcedPruned() == 1 ? "event" : "events", t.forcedHeldReleased() == 0 ? " (none was waiting for Kafka or delivery)"
                        : String.format(", %,d of them not yet published or delivered", t.forcedHeldReleased()), Formats.time(t.lastForcedAt())));
        retentionForced.setVisible(forced);
        retentionForced.setManaged(forced);
    }

    private void showConnections(boolean tenant, java.util.Map<ConnectionStatus, Integer> by) {
        int total = by.values().stream().mapToInt(Integer::intValue).sum();
        int healthy = by.getOrDefault(ConnectionStatus.HEALTHY, 0);
        connectionsHealthy.setText(!tenant ? "—" : total == 0 ? "0" : healthy + " / " + total);
        connectionsDetail.setText(!tenant ? "" : total == 0 ? "None yet: add a building gateway, an AWS account or a SaaS API on the Connections screen."
                : healthy + " healthy · " + by.getOrDefault(ConnectionStatus.PENDING, 0) + " pending");
        int unhealthy = by.getOrDefault(ConnectionStatus.UNHEALTHY, 0);
        int reauth = by.getOrDefault(ConnectionStatus.REAUTH_REQUIRED, 0);
        List<String> attention = new java.util.ArrayList<>();
        if (unhealthy > 0) attention.add(unhealthy + " unhealthy");
        if (reauth > 0) attention.add(reauth + " need" + (reauth == 1 ? "s" : "") + " consent again");
        connectionsAttention.setText(String.join(" · ", attention));
        connectionsAttention.setVisible(!attention.isEmpty());
        connectionsAttention.setManaged(!attention.isEmpty());
    }

    private void showKafka(StatusReport r) {
        if (r == null) {
            kafkaState.setText("—");
            kafkaState.getStyleClass().setAll("label", "stat");
            kafkaDetail.setText("");
            return;
        }
        String state = r.kafkaState();
        kafkaState.setText(switch (state) {
            case "off" -> "Off";
            case "connected" -> "Connected";
            case "connecting" -> "Connecting";
            default -> "Unreachable";
        });
        kafkaState.getStyleClass().setAll("label", "stat", switch (state) {
            case "connected" -> "ok-text";
            case "off" -> "muted";
            case "connecting" -> "warn-text";
            default -> "error-text";
        });
        if ("off".equals(state)) {
            kafkaDetail.setText("Events are kept in the local log only. Set Kafka bootstrap servers under Settings to publish them.");
            return;
        }
        String backlog = r.outboxDepth() == 0 ? "Outbox empty: every event is published"
                : String.format("%,d waiting in the outbox, oldest %s", r.outboxDepth(), Formats.countdown(r.oldestUnpublishedAge()));
        kafkaDetail.setText(r.kafkaBootstrap() + " · " + backlog + " · " + String.format("%,d", r.kafkaPublishedTotal()) + " published"
                + (r.kafkaLastError() != null && !"connected".equals(state) ? " · last error: " + r.kafkaLastError() : ""));
    }

    private void showGateway(GatewayHost.Status s) {
        if (s == null) return;
        switch (s.state()) {
            case LISTENING -> {
                gatewayStatus.setText("Listening on " + s.bind());
                gatewayStatus.getStyleClass().setAll("label", "ok-text");
            }
            case STARTING -> {
                gatewayStatus.setText("Starting…");
                gatewayStatus.getStyleClass().setAll("label", "warn-text");
            }
            case STOPPED -> {
                gatewayStatus.setText("Stopped");
                gatewayStatus.getStyleClass().setAll("label", "warn-text");
            }
            case FAILED -> {
                gatewayStatus.setText("Not running: " + s.problem() + " Change the ports or address under Settings.");
                gatewayStatus.getStyleClass().setAll("label", "error-text");
            }
        }
        httpUrl.setText(s.httpUrl() == null ? "not listening" : s.httpUrl());
        httpsUrl.setText(s.httpsUrl() == null ? (s.state() == GatewayHost.State.LISTENING ? "off" : "not listening") : s.httpsUrl());
        dataDir.setText(ctx.dataDir().toString());
        caFingerprint.setText(Formats.fingerprint(LocalCa.fingerprint(ctx.platform().ca().certificate())));
    }
}
