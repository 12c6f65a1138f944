package com.airotech.connect.ui.events;

import com.airotech.connect.connector.Connector;
import com.airotech.connect.ingest.StoredEvent;
import com.airotech.connect.ui.common.ConsoleContext;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.common.LiveFeed;
import com.airotech.connect.ui.common.ScreenController;
import com.airotech.connect.ui.common.WrappingCell;
import java.util.HashMap;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.util.StringConverter;

/** Live tail and history of the tenant's events, one event's JSON, and why requests were rejected. */
public final class EventsController implements ScreenController {
    private final ConsoleContext ctx;
    private final EventsModel model;
    private final Map<String, String> connectorNames = new HashMap<>();
    private final ToggleGroup modeGroup = new ToggleGroup();

    @FXML private ToggleButton liveButton;
    @FXML private ToggleButton historyButton;
    @FXML private ComboBox<String> typeBox;
    @FXML private ComboBox<Connector> connectorBox;
    @FXML private DatePicker sinceDate;
    @FXML private Label sinceLabel;
    @FXML private Label statusLabel;
    @FXML private TableView<StoredEvent> table;
    @FXML private TableColumn<StoredEvent, String> receivedColumn;
    @FXML private TableColumn<StoredEvent, String> connectorColumn;
    @FXML private TableColumn<StoredEvent, String> typeColumn;
    @FXML private TableColumn<StoredEvent, String> idColumn;
    @FXML private TextArea detail;
    @FXML private Button moreButton;
    @FXML private TableView<LiveFeed.RejectionCount> rejections;
    @FXML private TableColumn<LiveFeed.RejectionCount, String> codeColumn;
    @FXML private TableColumn<LiveFeed.RejectionCount, String> countColumn;
    @FXML private TableColumn<LiveFeed.RejectionCount, String> lastColumn;
    @FXML private TableColumn<LiveFeed.RejectionCount, String> meaningColumn;

    public EventsController(ConsoleContext ctx) {
        this.ctx = ctx;
        this.model = new EventsModel(ctx);
    }

    @FXML
    private void initialize() {
        liveButton.setToggleGroup(modeGroup);
        historyButton.setToggleGroup(modeGroup);
        liveButton.setSelected(true);
        modeGroup.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) { was.setSelected(true); return; }
            model.live().set(now == liveButton);
            model.restart();
        });
        sinceDate.visibleProperty().bind(model.live().not());
        sinceLabel.visibleProperty().bind(model.live().not());
        moreButton.visibleProperty().bind(model.live().not());
        moreButton.disableProperty().bind(model.hasMore().not());
        statusLabel.textProperty().bind(model.status());
        typeBox.setEditable(true);
        connectorBox.setConverter(new StringConverter<>() {
            @Override public String toString(Connector c) { return c == null ? "" : c.systemName(); }
            @Override public Connector fromString(String s) { return null; }
        });

        table.setItems(model.events());
        receivedColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Formats.time(c.getValue().receivedAt())));
        connectorColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(connectorNames.getOrDefault(c.getValue().connectorId(), c.getValue().connectorId())));
        typeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().eventType()));
        idColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().eventId()));
        table.getSelectionModel().selectedItemProperty().addListener((o, was, e) -> detail.setText(e == null ? "" : EventsModel.json(e)));

        rejections.setItems(model.rejections());
        codeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().code()));
        countColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Long.toString(c.getValue().count())));
        lastColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Formats.clock(c.getValue().last())
                + (c.getValue().lastSource() == null ? "" : " from " + c.getValue().lastSource())));
        meaningColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(RejectionReasons.explain(c.getValue().code())));
        meaningColumn.setCellFactory(col -> new WrappingCell<>(col));

        ctx.activeTenant().addListener((o, was, t) -> { loadConnectors(); model.restart(); });
    }

    @Override
    public void shown() {
        loadConnectors();
        model.restart();
    }

    private void loadConnectors() {
        var p = ctx.principal();
        if (p == null) return;
        ctx.background().call(() -> ctx.platform().connectors().list(p), list -> {
            connectorNames.clear();
            java.util.Set<String> types = new java.util.TreeSet<>();
            for (Connector c : list) {
                connectorNames.put(c.connectorId(), c.systemName());
                if (c.eventTypes() != null) types.addAll(c.eventTypes());
            }
            Connector selected = connectorBox.getValue();
            connectorBox.getItems().setAll(list);
            connectorBox.setValue(selected);
            typeBox.getItems().setAll(types);
            table.refresh();
        }, ctx::failed);
    }

    @FXML
    private void apply() {
        try {
            model.filter(typeBox.getEditor().getText(), connectorBox.getValue() == null ? null : connectorBox.getValue().connectorId(),
                    sinceDate.getValue());
        } catch (RuntimeException e) {
            ctx.failed(e);
        }
    }

    @FXML
    private void clear() {
        typeBox.setValue(null);
        typeBox.getEditor().clear();
        connectorBox.setValue(null);
        sinceDate.setValue(null);
        model.filter(null, null, null);
    }

    @FXML private void more() { model.nextPage(); }
}
