package com.airotech.connect.ui.common;

import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.text.Text;

/** A table cell whose text wraps to the column's width, so long sentences are read, not clipped. */
public final class WrappingCell<S> extends TableCell<S, String> {
    private final Text text = new Text();

    public WrappingCell(TableColumn<S, String> column) {
        text.wrappingWidthProperty().bind(column.widthProperty().subtract(14));
        text.getStyleClass().add("cell-text");
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        text.setText(empty || item == null ? "" : item);
        setText(null);
        setGraphic(empty || item == null ? null : text);
    }
}
