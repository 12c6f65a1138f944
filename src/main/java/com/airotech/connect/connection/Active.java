package com.airotech.connect.connection;

import com.airotech.connect.common.Secret;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * One version of a connection's material opened for use, with the HTTP client that goes with it
 * (its own TLS context for mtls and per-connection CAs). A call takes the instance in force when
 * it starts and keeps it to the end, so a rotation committed meanwhile never changes the
 * credential under a request in flight.
 */
final class Active {
    final int version;
    final Credentials credentials;
    final CloseableHttpClient client;

    private Active(int version, Credentials credentials, CloseableHttpClient client) {
        this.version = version;
        this.credentials = credentials;
        this.client = client;
    }

    /** @param dns the tenant's resolver: resolves and checks every address a connection of this client goes to */
    static Active none(Connection c, DnsResolver dns) {
        return new Active(0, new Credentials.None(), Tls.client(c.text("ca_pem"), null, dns));
    }

    static Active open(Connection c, int version, Secret material, DnsResolver dns) {
        ObjectNode m = Material.read(material);
        String ca = c.text("ca_pem");
        return switch (c.kind()) {
            case NONE -> new Active(version, new Credentials.None(), Tls.client(ca, null, dns));
            case API_KEY -> new Active(version, new Credentials.ApiKey(Material.field(m, "api_key")), Tls.client(ca, null, dns));
            case BASIC -> {
                String pair = m.get("username").asText() + ":" + m.get("password").asText();
                Secret header = Secret.ofUtf8("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
                yield new Active(version, new Credentials.Basic(header), Tls.client(ca, null, dns));
            }
            case MTLS -> {
                Credentials.Mtls k = new Credentials.Mtls(Tls.clientKeys(Material.field(m, "client_p12_base64"),
                        Material.field(m, "client_p12_password") == null ? Secret.ofUtf8("") : Material.field(m, "client_p12_password")));
                yield new Active(version, k, Tls.client(ca, k.keys(), dns));
            }
            case OAUTH2 -> {
                Instant exp = m.has("expires_at") ? Instant.ofEpochSecond(m.get("expires_at").asLong()) : null;
                yield new Active(version, new Credentials.OAuth2(Material.field(m, "client_secret"), Material.field(m, "access_token"),
                        Material.field(m, "refresh_token"), exp), Tls.client(ca, null, dns));
            }
            case AWS_IAM -> new Active(version, new Credentials.AwsRole(m.get("role_arn").asText()), Tls.client(ca, null, dns));
        };
    }

    /** The injector for this material; for oauth2 the caller passes the access token it obtained. */
    Injector injector(Connection c, Secret bearer) {
        if (credentials instanceof Credentials.ApiKey k) {
            return c.text("query_param") != null ? queryKey(c.text("query_param"), k.key())
                    : Injector.header(c.text("header") == null ? "X-Api-Key" : c.text("header"), k.key());
        }
        if (credentials instanceof Credentials.Basic b) return Injector.header("Authorization", b.header());
        if (credentials instanceof Credentials.OAuth2) return Injector.header("Authorization", Secret.ofUtf8("Bearer " + bearer.utf8()));
        return Injector.NONE;
    }

    private static Injector queryKey(String param, Secret key) {
        return new Injector() {
            @Override
            public URI target(URI uri) {
                String add = URLEncoder.encode(param, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(key.utf8(), StandardCharsets.UTF_8);
                String q = uri.getRawQuery();
                String s = uri.toString();
                int hash = s.indexOf('#');
                if (hash >= 0) s = s.substring(0, hash);
                return URI.create(s + (q == null ? "?" : "&") + add);
            }

            @Override
            public String scrub(String text) {
                return Injector.scrubbed(Injector.scrubbed(text, key.utf8()), URLEncoder.encode(key.utf8(), StandardCharsets.UTF_8));
            }
        };
    }

}
