package com.airotech.connect.ui.audit;

import com.airotech.connect.audit.AuditAction;
import com.airotech.connect.audit.AuditEntry;
import com.airotech.connect.audit.AuditExport;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.Problems;
import com.airotech.connect.ui.common.ScreenController;
import com.airotech.connect.ui.common.TooltipCell;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/** The tenant's audit trail: filters, cursor paging, export and the hash-chain check. */
public final class AuditController implements ScreenController {
    static final String ANY = "Any";
    static final List<String> ACTIONS = AuditAction.wireNames();

    private final ConsoleContext ctx;
    private final AuditModel model;
    private final Map<String, String> connectorNames = new HashMap<>();

    @FXML private Label chainState;
    @FXML private Label chainDetail;
    @FXML private DatePicker fromDate;
    @FXML private DatePicker toDate;
    @FXML private ComboBox<String> actionBox;
    @FXML private TextField actorField;
    @FXML private ComboBox<Connector> connectorBox;
    @FXML private TextField searchField;
    @FXML private Label filterError;
    @FXML private TableView<AuditEntry> table;
    @FXML private TableColumn<AuditEntry, String> timeColumn;
    @FXML private TableColumn<AuditEntry, String> actorColumn;
    @FXML private TableColumn<AuditEntry, String> actionColumn;
    @FXML private TableColumn<AuditEntry, String> targetColumn;
    @FXML private TableColumn<AuditEntry, String> detailColumn;
    @FXML private Label pageLabel;
    @FXML private Button previousButton;
    @FXML private Button nextButton;

    public AuditController(ConsoleContext ctx) {
        this.ctx = ctx;
        this.model = new AuditModel(ctx);
    }

    @FXML
    private void initialize() {
        table.setItems(model.entries());
        timeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Formats.time(c.getValue().at())));
        actorColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().actor()));
        actionColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().action()));
        targetColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(target(c.getValue().target())));
        detailColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Json.write(c.getValue().detail())));
        detailColumn.setCellFactory(col -> new TooltipCell<>());
        targetColumn.setCellFactory(col -> new TooltipCell<>());
        actionBox.getItems().setAll(ACTIONS);
        actionBox.setEditable(true);
        connectorBox.setConverter(new StringConverter<>() {
            @Override public String toString(Connector c) { return c == null ? "" : c.systemName() + " (" + c.connectorId() + ")"; }
            @Override public Connector fromString(String s) { return null; }
        });
        pageLabel.textProperty().bind(model.pageText());
        nextButton.disableProperty().bind(model.hasNext().not());
        previousButton.disableProperty().bind(model.hasPrevious().not());
        model.chain().addListener((o, was, v) -> showChain(v));
        ctx.activeTenant().addListener((o, was, t) -> { loadConnectors(); model.apply(AuditModel.Filter.NONE); clearFields(); });
    }

    @Override
    public void shown() {
        loadConnectors();
        model.reload();
        model.verifyChain();
    }

    private String target(String id) {
        if (id == null) return "";
        String name = connectorNames.get(id);
        return name == null ? id : name + " (" + id + ")";
    }

    private void loadConnectors() {
        var p = ctx.principal();
        if (p == null) return;
        ctx.background().call(() -> ctx.platform().connectors().list(p), list -> {
            connectorNames.clear();
            list.forEach(c -> connectorNames.put(c.connectorId(), c.systemName()));
            Connector selected = connectorBox.getValue();
            connectorBox.getItems().setAll(new ArrayList<>(list));
            connectorBox.setValue(selected);
            table.refresh();
        }, ctx::failed);
    }

    @FXML
    private void apply() {
        filterError.setText("");
        String action = actionBox.getEditor().getText();
        AuditModel.Filter f = new AuditModel.Filter(fromDate.getValue(), toDate.getValue(), action,
                actorField.getText(), connectorBox.getValue() == null ? null : connectorBox.getValue().connectorId(), searchField.getText());
        try {
            model.apply(f);
        } catch (RuntimeException e) {
            filterError.setText(Problems.describe(e));
        }
    }

    @FXML
    private void clear() {
        clearFields();
        model.apply(AuditModel.Filter.NONE);
    }

    private void clearFields() {
        fromDate.setValue(null);
        toDate.setValue(null);
        actionBox.setValue(null);
        actionBox.getEditor().clear();
        actorField.clear();
        connectorBox.setValue(null);
        searchField.clear();
        filterError.setText("");
    }

    @FXML private void next() { model.next(); }

    @FXML private void previous() { model.previous(); }

    @FXML private void verify() { model.verifyChain(); }

    @FXML private void exportCsv() { export(AuditExport.Format.CSV, "csv"); }

    @FXML private void exportJson() { export(AuditExport.Format.JSON, "json"); }

    private void export(AuditExport.Format format, String ext) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the audit trail");
        fc.setInitialFileName("audit-" + (ctx.activeTenant().get() == null ? "tenant" : ctx.activeTenant().get().name()) + "." + ext);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext.toUpperCase() + " files", "*." + ext));
        File f = fc.showSaveDialog(ctx.window());
        if (f != null) exportTo(f.toPath(), format);
    }

    /** Exports what the current filter matches (the file dialog's answer, or a test's path). */
    javafx.concurrent.Task<Long> exportTo(java.nio.file.Path file, AuditExport.Format format) { return model.export(file, format); }

    private void showChain(AuditLog.Verification v) {
        if (v == null) return;
        if (v.intact()) {
            chainState.setText("Audit chain intact");
            chainState.getStyleClass().setAll("label", "ok-text");
            chainDetail.setText(String.format("Every entry of %d tenants (%,d entries) follows the one before it and is unaltered. Checked at %s.%s%s",
                    v.tenants(), v.entries(), Formats.clock(ctx.clock().instant()),
                    v.keyed() ? "\nKeyed with HMAC-SHA256; key fingerprint " + v.keyFingerprint().substring(0, 16) + "… (audit verify shows it whole)." : "",
                    v.unkeyedPrefixes().isEmpty() ? "" : "\n" + v.unkeyedPrefixes().size() + " tenant(s) have entries from before keying: audit verify names them."));
        } else {
            chainState.setText("Audit chain broken");
            chainState.getStyleClass().setAll("label", "error-text");
            chainDetail.setText(v.problem() + ". Restore the database from a backup and keep this file for investigation.");
        }
    }
}
