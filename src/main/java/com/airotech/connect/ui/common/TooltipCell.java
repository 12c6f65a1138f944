package com.airotech.connect.ui.common;

import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/** A table cell that shows its whole text in a tooltip when the column is too narrow for it. */
public final class TooltipCell<S> extends TableCell<S, String> {
    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
        if (empty || item == null || item.isEmpty()) {
            setTooltip(null);
        } else {
            Tooltip t = new Tooltip(item);
            t.setWrapText(true);
            t.setMaxWidth(520);
            t.setShowDelay(Duration.millis(300));
            setTooltip(t);
        }
    }
}
