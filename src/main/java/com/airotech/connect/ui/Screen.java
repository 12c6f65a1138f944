package com.airotech.connect.ui;

/**
 * The screens in the sidebar, in order. The site-gateway (mTLS) and connection screens have their
 * views and controllers ({@link FxmlView#SITE_GATEWAYS}, {@link FxmlView#CONNECTIONS}) and join
 * this list, one line each, once the certificate authority and the connection runtime are part of
 * the platform.
 */
public enum Screen {
    OVERVIEW("Overview", FxmlView.OVERVIEW),
    TENANTS("Tenants", FxmlView.TENANTS),
    CONNECTORS("Connectors", FxmlView.CONNECTORS),
    EVENTS("Events", FxmlView.EVENTS),
    AUDIT("Audit trail", FxmlView.AUDIT),
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
