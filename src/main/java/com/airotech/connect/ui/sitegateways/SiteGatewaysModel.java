package com.airotech.connect.ui.sitegateways;

import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.ui.common.Formats;
import com.airotech.connect.ui.connectors.MethodGuide;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Site gateways screen's rows: the tenant's active mtls and basic connectors, soonest expiry
 * first, each with the state of its certificate; and the client bundle a site gateway is
 * configured from (never a key or password: those were handed over once).
 */
public final class SiteGatewaysModel {
    static final int EXPIRY_WARNING_DAYS = 30;

    enum Level { OK, WARN, ERROR, NONE }

    record Row(Connector connector, Level level, String expires, String status) {}

    private SiteGatewaysModel() {}

    static boolean isSiteGateway(Connector c) {
        return c.active() && (c.authMethod() == AuthMethod.MTLS || c.authMethod() == AuthMethod.BASIC);
    }

    static List<Row> rows(List<Connector> connectors, Instant now) {
        List<Row> out = new ArrayList<>();
        for (Connector c : connectors) if (isSiteGateway(c)) out.add(row(c, now));
        out.sort(Comparator.comparing((Row r) -> r.connector().certificateNotAfter(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(r -> r.connector().systemName()));
        return out;
    }

    static Row row(Connector c, Instant now) {
        Instant until = c.certificateNotAfter();
        String grace = c.previousValidUntil() != null && c.previousValidUntil().isAfter(now)
                ? " · previous credential valid until " + Formats.clock(c.previousValidUntil()) : "";
        if (c.authMethod() == AuthMethod.BASIC) return new Row(c, Level.NONE, "—", "Password (no certificate)" + grace);
        if (until == null) return new Row(c, Level.NONE, "—", "No certificate");
        long days = Duration.between(now, until).toDays();
        if (!until.isAfter(now)) {
            return new Row(c, Level.ERROR, Formats.time(until), "Expired " + Formats.ago(until, now) + ": renew it" + grace);
        }
        if (days < EXPIRY_WARNING_DAYS) {
            return new Row(c, Level.WARN, Formats.time(until), "Expires in " + Formats.count(days, "day", "days") + ": renew soon" + grace);
        }
        return new Row(c, Level.OK, Formats.time(until), "Valid, " + days + " days left" + grace);
    }

    /** The banner above the table: how many certificates expired or expire within 30 days (null when none). */
    static String banner(List<Row> rows) {
        long expired = rows.stream().filter(r -> r.level() == Level.ERROR).count();
        long soon = rows.stream().filter(r -> r.level() == Level.WARN).count();
        if (expired == 0 && soon == 0) return null;
        List<String> parts = new ArrayList<>();
        if (expired > 0) parts.add(Formats.count(expired, "client certificate has expired", "client certificates have expired"));
        if (soon > 0) parts.add(Formats.count(soon, "client certificate expires", "client certificates expire") + " within " + EXPIRY_WARNING_DAYS + " days");
        return String.join("; ", parts) + ". Select the site gateway and choose Renew… (the old certificate keeps working for the grace).";
    }

    /**
     * A zip with what the site gateway is configured from: the CA certificate it trusts for the
     * HTTPS listener, its ids and addresses, and an example with placeholders for what it was given once.
     */
    static byte[] bundle(Connector c, String caPem, String caFingerprint, String httpBase, String httpsBase) {
        String path = "/api/events/ingest/" + c.tenantId() + "/" + c.connectorId();
        boolean mtls = c.authMethod() == AuthMethod.MTLS;
        StringBuilder readme = new StringBuilder();
        readme.append("AIROTECH Connect: configuration of site gateway ").append(c.systemName()).append("\n\n");
        readme.append("Tenant ID:     ").append(c.tenantId()).append('\n');
        readme.append("Connector ID:  ").append(c.connectorId()).append('\n');
        readme.append("Method:        ").append(c.authMethod().wire()).append('\n');
        if (mtls) {
            readme.append("Ingest URL:    ").append(httpsBase == null ? "(the HTTPS listener is off: turn it on in the console's Settings)" : httpsBase + path)
                    .append("  (HTTPS with the client certificate)\n");
            readme.append("Certificate:   SHA-256 ").append(c.certificateSha256()).append(", valid until ").append(c.certificateNotAfter()).append('\n');
        } else {
            readme.append("Ingest URL:    ").append(httpBase).append(path).append('\n');
            if (httpsBase != null) readme.append("               ").append(httpsBase).append(path).append("  (HTTPS, preferred)\n");
            readme.append("User name:     ").append(c.connectorId()).append('\n');
        }
        readme.append("CA:            ca.pem (SHA-256 ").append(caFingerprint).append("), the authority of the gateway's HTTPS certificate\n\n");
        readme.append(mtls
                ? "The private key and the bundle password were handed over once, when the certificate was issued;\nthey are not in this bundle. "
                  + "send-event.sh expects the bundle as " + MethodGuide.bundleFile(c) + ".\n"
                : "The password was handed over once, at registration or rotation; it is not in this bundle.\n");
        String example = mtls
                ? MethodGuide.MTLS.example(httpBase, httpsBase, c, "BUNDLE_PASSWORD", true).replace("curl -sS -o airotech-ca.pem '" + httpBase + "/api/pki/ca.pem'\n", "")
                        .replace("airotech-ca.pem", "ca.pem")
                : MethodGuide.BASIC.example(httpBase, c, "PASSWORD");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, "ca.pem", caPem);
            entry(zip, "README.txt", readme.toString());
            entry(zip, "send-event.sh", "#!/bin/sh\n# replace " + (mtls ? "BUNDLE_PASSWORD" : "PASSWORD") + " with what was handed over once\n" + example + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
