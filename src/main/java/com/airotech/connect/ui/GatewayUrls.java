package com.airotech.connect.ui;

/** The gateway's addresses as the console shows them: HTTP always, HTTPS when its listener runs (else null). */
record GatewayUrls(String http, String https) {
    static GatewayUrls of(ConsoleContext ctx) {
        var s = ctx.gatewayStatus().get();
        return new GatewayUrls(TenantsController.baseUrl(ctx), s == null ? null : s.httpsUrl());
    }
}
