package com.airotech.connect.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Label;

/** Staged rotation of a connection's material: stage, probe, commit, each step shown with its result. */
public final class StagedRotationController {
    private final ConsoleContext ctx;

    @FXML private Label stageStep;
    @FXML private Label probeStep;
    @FXML private Label commitStep;
    @FXML private Label result;

    public StagedRotationController(ConsoleContext ctx) { this.ctx = ctx; }
}
