package com.airotech.connect.ui.common;

/** Every FXML file of the console, in the top-level {@code fxml/} folder (classpath {@code /fxml/...}). */
public enum FxmlView {
    MAIN("main.fxml"),
    OVERVIEW("overview.fxml"),
    TENANTS("tenants.fxml"),
    CONNECTORS("connectors.fxml"),
    EVENTS("events.fxml"),
    AUDIT("audit.fxml"),
    SETTINGS("settings.fxml"),
    SITE_GATEWAYS("site-gateways.fxml"),
    CONNECTIONS("connections.fxml"),
    REGISTER_CONNECTOR("register-connector.fxml"),
    SHOW_ONCE("show-once.fxml"),
    ROTATE("rotate.fxml"),
    AWS_WIZARD("aws-wizard.fxml"),
    OAUTH2_CONNECT("oauth2-connect.fxml"),
    STAGED_ROTATION("staged-rotation.fxml"),
    ISSUE_CERTIFICATE("issue-certificate.fxml"),
    ADD_BMS("add-bms.fxml"),
    BACKUPS("backups.fxml"),
    DELIVERIES("deliveries.fxml"),
    NEW_SUBSCRIPTION("new-subscription.fxml");

    public static final String STYLESHEET = "/fxml/console.css";

    private final String file;

    FxmlView(String file) { this.file = file; }

    public String resource() { return "/fxml/" + file; }
}
