package com.airotech.connect.ui.common;

/** The screens in the sidebar, in order. */
public enum Screen {
    OVERVIEW("Overview", FxmlView.OVERVIEW),
    TENANTS("Tenants", FxmlView.TENANTS),
    CONNECTORS("Connectors", FxmlView.CONNECTORS),
    SITE_GATEWAYS("Site gateways", FxmlView.SITE_GATEWAYS),
    CONNECTIONS("Connections", FxmlView.CONNECTIONS),
    DELIVERIES("Deliveries", FxmlView.DELIVERIES),
    EVENTS("Events", FxmlView.EVENTS),
    AUDIT("Audit trail", FxmlView.AUDIT),
    BACKUPS("Backups", FxmlView.BACKUPS),
    SETTINGS("Settings", FxmlView.SETTINGS);

    private final String title;
    private final FxmlView view;

    Screen(String title, FxmlView view) {
        this.title = title;
        this.view = view;
    }

    public String title() { return title; }

    public FxmlView view() { return view; }
}
