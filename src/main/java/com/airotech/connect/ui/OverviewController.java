package com.airotech.connect.ui;

import com.airotech.connect.app.GatewayHost;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.connection.ConnectionStatus;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.status.StatusReport;
import com.airotech.connect.tenant.Principal;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** Gateway status and CA fingerprint, connectors and connections by state, the Kafka outbox, request rate and the latest audit entries. */
public final class OverviewController implements ScreenController {
    static final int CHART_SECONDS = 120;

    private final ConsoleContext ctx;
    private final XYChart.Series<Number, Number> acceptedSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> rejectedSeries = new XYChart.Series<>();
    private long lastRefresh = Long.MIN_VALUE;

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
        ctx.changes().addListener((o, was, n) -> refresh());
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
        if (m.chain() == null) {
            chainState.setText("—");
        } else if (m.chain().intact()) {
            chainState.setText("Intact");
            chainState.getStyleClass().setAll("label", "stat", "ok-text");
            long entries = m.chain().entries();
            long tenants = m.chain().tenants();
            chainDetail.setText(String.format("%,d %s of %d %s verified at %s", entries, entries == 1 ? "entry" : "entries",
                    tenants, tenants == 1 ? "tenant" : "tenants", Formats.clock(ctx.clock().instant())));
        } else {
            chainState.setText("Broken");
            chainState.getStyleClass().setAll("label", "stat", "error-text");
            chainDetail.setText(m.chain().problem());
        }
        latestAudit.getItems().setAll(m.latestAudit());
        showConnections(tenant, m.connections());
        showKafka(m.status());
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
