package com.airotech.connect.ui.common;

/** The gateway's addresses as the console shows them: HTTP always, HTTPS when its listener runs (else null). */
public record GatewayUrls(String http, String https) {
    public static GatewayUrls of(ConsoleContext ctx) {
        var s = ctx.gatewayStatus().get();
        return new GatewayUrls(baseUrl(ctx), s == null ? null : s.httpsUrl());
    }

    /** The address examples send to: the running gateway's, else the configured one. */
    public static String baseUrl(ConsoleContext ctx) {
        String url = ctx.gatewayStatus().get() == null ? null : ctx.gatewayStatus().get().httpUrl();
        if (url != null) return url;
        var c = ctx.host().config();
        return "http://" + c.bind() + ":" + c.httpPort();
    }
}
