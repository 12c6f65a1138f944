package com.airotech.connect.wire;

import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.connection.AwsSetup;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.Detail;
import com.airotech.connect.connection.OutboundSettings;
import com.airotech.connect.connection.ProbeFailed;
import com.airotech.connect.connection.ProbeResult;
import com.airotech.connect.connection.Wording;
import com.airotech.connect.secret.AwsSecretsManagerStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Connections on the wire (API.md §6), for the HTTP API and the command line, which prints the same
 * JSON: the views of connections, probe results and outbound settings, and the API's wording of
 * what a connection waits for — the next step as an API call ({@code POST /api/connections/…}).
 */
public final class ConnectionJson {
    private ConnectionJson() {}

    /** The JSON view of a connection: status, kind, config, timestamps; never material. */
    public static ObjectNode connection(Connection c) {
        ObjectNode o = Json.object();
        o.put("connection_id", c.connectionId());
        o.put("tenant_id", c.tenantId());
        o.put("name", c.name());
        o.put("kind", c.kind().wire());
        if (c.baseUrl() != null) o.put("base_url", c.baseUrl()); else o.putNull("base_url");
        o.set("config", c.config().toJson());
        if (c.probePath() != null) o.put("probe_path", c.probePath()); else o.putNull("probe_path");
        o.put("status", c.status().wire());
        if (c.statusDetail() != null) o.put("detail", detail(c.connectionId(), c.statusDetail())); else o.putNull("detail");
        o.put("secret_backend", c.secretBackend().startsWith("aws:") ? "aws" : c.secretBackend());
        if (c.secretBackend().startsWith("aws:")) {
            o.put("aws_region", c.secretBackend().substring(4));
            o.put("secret_name", AwsSecretsManagerStore.secretName(c.tenantId(), c.connectionId()));
        }
        o.put("has_credential", c.currentVersion() != null);
        if (c.currentVersion() != null) o.put("credential_version", c.currentVersion());
        if (c.externalId() != null) {
            o.put("external_id", c.externalId());
            ObjectNode trust = AwsSetup.trustPolicy(c);
            if (trust != null) o.set("trust_policy", trust);
        }
        if (c.lastProbeAt() != null) o.put("last_probe_at", Times.format(c.lastProbeAt())); else o.putNull("last_probe_at");
        o.put("created_at", Times.format(c.createdAt()));
        o.put("updated_at", Times.format(c.updatedAt()));
        return o;
    }

    public static ArrayNode connections(Iterable<Connection> all) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Connection c : all) arr.add(connection(c));
        return arr;
    }

    /** The answer to {@code POST …/credential}: the status the change left, and why. */
    public static ObjectNode result(String connectionId, ProbeResult r) {
        return Json.object().put("status", r.status().wire()).put("detail", detail(connectionId, r.detail()));
    }

    /** The answer to {@code POST …/probe}: a connection still waiting for material or consent is {@code unhealthy}. */
    public static ObjectNode probe(String connectionId, ProbeResult r) {
        return Json.object().put("status", r.probeWire()).put("detail", detail(connectionId, r.detail()));
    }

    public static ObjectNode settings(OutboundSettings s) {
        ObjectNode o = Json.object().put("tenant_id", s.tenantId()).put("secret_backend", s.secretBackend());
        if (s.awsRegion() != null) o.put("aws_region", s.awsRegion());
        ArrayNode rules = o.putArray("allowed_targets");
        s.policy().rules().forEach(rules::add);
        return o;
    }

    /** What a connection waits for, with the next step as an API call. */
    public static String detail(String id, Detail d) {
        String at = "/api/connections/" + id;
        if (d instanceof Detail.Text t) return t.text();
        if (d instanceof Detail.NeedsProbe) return "Not probed yet: POST " + at + "/probe.";
        if (d instanceof Detail.NeedsMaterial) return "No credential yet: POST it to " + at + "/credential.";
        if (d instanceof Detail.NeedsClientSecretAndConsent) {
            return "No consent yet: register the client secret (POST " + at + "/credential), then open GET " + at + "/authorize.";
        }
        if (d instanceof Detail.NeedsConsent) return "Client secret registered; give consent: GET " + at + "/authorize.";
        if (d instanceof Detail.NeedsRole) return "No role yet: create the role with the trust policy shown, then POST its role_arn to " + at + "/credential.";
        if (d instanceof Detail.NeedsConsentAgain a) return "Consent must be given again: " + a.reason() + ". Open GET " + at + "/authorize.";
        if (d instanceof Detail.TargetRefused t) return Wording.targetRefused(t);
        Detail.CredentialRefused r = (Detail.CredentialRefused) d;
        return r.what() + ": the system refused the credential. Stage a correct one with POST " + at + "/credential.";
    }

    /** A call that could not be made, as the contract's error: 409 for a connection waiting for the operator, 422 refused, else 502. */
    public static ApiException error(ConnectionFailure f) {
        ApiException.Kind kind = switch (f.code()) {
            case ConnectionFailure.REAUTH_REQUIRED, ConnectionFailure.NO_MATERIAL -> ApiException.Kind.CONFLICT;
            case ConnectionFailure.ADDRESS_REFUSED, ConnectionFailure.REDIRECT_REFUSED -> ApiException.Kind.UNPROCESSABLE;
            default -> ApiException.Kind.UPSTREAM_FAILED;
        };
        return new ApiException(kind, f.code(), message(f));
    }

    private static String message(ConnectionFailure f) {
        Connection c = f.connection();
        if (c == null) return f.getMessage();
        String id = c.connectionId();
        if (ConnectionFailure.REAUTH_REQUIRED.equals(f.code())) {
            return "Connection " + id + " needs consent again (" + detail(id, f.need()) + "). Open GET /api/connections/" + id
                    + "/authorize, or run: airotech-connect connections authorize --tenant " + c.tenantId() + " " + id;
        }
        return "Connection " + id + " has no credential yet: POST it to /api/connections/" + id + "/credential.";
    }

    /** New material that failed its probe: {@code 422 probe_failed}, the previous material still in force. */
    public static ApiException error(ProbeFailed f) {
        String why = detail(f.connectionId(), f.result().detail());
        return new ApiException(ApiException.Kind.UNPROCESSABLE, ProbeFailed.CODE, f.consent() ? "Consent was given, but the probe with the new token failed: " + why
                : "The new credential failed its probe, so the previous one stays in force: " + why);
    }
}
