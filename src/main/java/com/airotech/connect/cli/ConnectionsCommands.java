package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.connection.OutboundSettings;
import com.airotech.connect.connection.ProbeFailed;
import com.airotech.connect.connection.Detail;
import com.airotech.connect.wire.ConnectionJson;
import com.airotech.connect.connection.ProbeResult;
import com.airotech.connect.secret.KeyRotation;
import com.airotech.connect.secret.SecretStoreException;
import com.airotech.connect.tenant.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airotech-connect connections …} and {@code airotech-connect keys rotate} (API.md §1, §6). */
public final class ConnectionsCommands {
    private ConnectionsCommands() {}

    @Command(name = "connections", mixinStandardHelpOptions = true, description = "Administer a tenant's outbound connections (BMS gateways, SaaS APIs, AWS accounts).",
            subcommands = {Add.class, ListCmd.class, Show.class, Probe.class, Rotate.class, Authorize.class, Delete.class, Policy.class, Store.class})
    public static final class Group {}

    /** A connections command on one tenant: what the service answers with a typed failure becomes an operator's sentence. */
    abstract static class TenantScoped extends TenantCommand {
        @Override
        final Integer run(Platform p, Principal principal) throws IOException {
            try {
                return run(p.connections(), principal);
            } catch (ConnectionFailure f) {
                throw new IllegalStateException(message(f) + " [" + f.code() + "]");
            } catch (ProbeFailed f) {
                throw new ApiException(ApiException.Kind.UNPROCESSABLE, ProbeFailed.CODE, (f.consent() ? "Consent was given, but the probe with the new token failed: "
                        : "The new credential failed its probe, so the previous one stays in force: ") + detail(tenantId, f.connectionId(), f.result().detail()));
            } catch (SecretStoreException e) {
                throw new IllegalStateException(e.getMessage());
            }
        }

        abstract Integer run(ConnectionService connections, Principal principal) throws IOException;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a connection; prints it (for aws_iam with its external id and trust policy).")
    static final class Add extends TenantScoped {
        @Option(names = "--name", required = true, paramLabel = "NAME") String name;
        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "none, api_key, basic, mtls, oauth2 or aws_iam.") String kind;
        @Option(names = "--base-url", paramLabel = "URL", description = "The system's address, e.g. https://bms.site.local:8443 (optional for aws_iam).") String baseUrl;
        @Option(names = "--probe-path", paramLabel = "PATH", description = "Path of the probe request (default /).") String probePath;
        @Option(names = "--config", paramLabel = "JSON", description = "Non-secret config, a JSON object (see docs/connections.md).") String config;
        @Option(names = "--ca-file", paramLabel = "PEM", description = "The server's CA certificate(s), stored as config.ca_pem.") Path caFile;

        @Override
        Integer run(ConnectionService connections, Principal principal) throws IOException {
            ObjectNode cfg = config == null ? Json.object() : object(config, "--config");
            if (caFile != null) cfg.put("ca_pem", Files.readString(caFile));
            ConnectionService.Created c = connections.create(principal, new NewConnection(name, ConnectionKind.fromWire(kind), baseUrl, cfg, probePath));
            Output.print(ConnectionJson.connection(c.connection()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's connections (never material).")
    static final class ListCmd extends TenantScoped {
        @Override
        Integer run(ConnectionService connections, Principal principal) {
            Output.print(ConnectionJson.connections(connections.list(principal)));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one connection (never material).")
    static final class Show extends TenantScoped {
        @Parameters(paramLabel = "CONNECTION_ID") String id;

        @Override
        Integer run(ConnectionService connections, Principal principal) {
            Output.print(ConnectionJson.connection(connections.get(principal, id)));
            return 0;
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true, description = "Probe a connection with its material in force; exit 0 when healthy.")
    static final class Probe extends TenantScoped {
        @Parameters(paramLabel = "CONNECTION_ID") String id;

        @Override
        Integer run(ConnectionService connections, Principal principal) {
            ProbeResult r = connections.probe(principal, id);
            Output.print(Json.object().put("connection_id", id).setAll(ConnectionJson.probe(id, r)));
            return r.healthy() ? 0 : 1;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Stage new material, probe with it, and commit only if the probe passes (the previous stays in force otherwise). "
                    + "The material is a JSON object read from --material-file, or from standard input (hidden when typed).")
    static final class Rotate extends TenantScoped {
        @Parameters(paramLabel = "CONNECTION_ID") String id;
        @Option(names = "--material-file", paramLabel = "FILE", description = "A JSON file with the material, e.g. {\"username\":…,\"password\":…}.") Path file;
        @Option(names = "--p12-file", paramLabel = "FILE", description = "mtls: the client PKCS#12 file (its password is asked for, or read from the material JSON).") Path p12;

        @Override
        Integer run(ConnectionService connections, Principal principal) throws IOException {
            ObjectNode material;
            if (p12 != null) {
                material = Json.object().put("client_p12_base64", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p12)));
                String pw = file != null ? object(Files.readString(file), "--material-file").path("client_p12_password").asText("") : secretLine("PKCS#12 password: ");
                material.put("client_p12_password", pw);
            } else if (file != null) {
                material = object(Files.readString(file), "--material-file");
            } else {
                material = object(secretLine("paste the credential JSON (input hidden): "), "standard input");
            }
            ProbeResult r = connections.putCredential(principal, id, material);
            Output.print(Json.object().put("connection_id", id).setAll(ConnectionJson.result(id, r)));
            return 0;
        }
    }

    @Command(name = "authorize", mixinStandardHelpOptions = true,
            description = "Print the vendor consent URL of an oauth2 connection; the vendor redirects to the running gateway's /oauth2/callback.")
    static final class Authorize extends TenantScoped {
        @Parameters(paramLabel = "CONNECTION_ID") String id;

        @Override
        Integer run(ConnectionService connections, Principal principal) {
            Output.print(Json.object().put("connection_id", id).put("authorize_url", connections.authorizeUrl(principal, id)));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a connection and its material.")
    static final class Delete extends TenantScoped {
        @Parameters(paramLabel = "CONNECTION_ID") String id;

        @Override
        Integer run(ConnectionService connections, Principal principal) {
            connections.delete(principal, id);
            Output.print(Json.object().put("connection_id", id).put("deleted", true));
            return 0;
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = "Show or change which networks and hosts the tenant's connections may reach (default: loopback only).")
    static final class Policy extends TenantScoped {
        @Option(names = "--allow", paramLabel = "TARGET", description = "Allow a network (10.20.0.0/16), address or host name (bms.site.local, *.site.local); repeatable.") List<String> allow;
        @Option(names = "--remove", paramLabel = "TARGET", description = "Remove an allowed target; repeatable.") List<String> remove;
        @Option(names = "--reset", description = "Back to the default (loopback only).") boolean reset;

        @Override
        Integer run(ConnectionService connections, Principal principal) {
            OutboundSettings s = (allow == null && remove == null && !reset) ? connections.settings(principal.tenantId())
                    : connections.changePolicy(principal, allow, remove, reset);
            Output.print(ConnectionJson.settings(s));
            return 0;
        }
    }

    @Command(name = "store", mixinStandardHelpOptions = true,
            description = "Show or choose where the tenant's new connections keep their material: local (sealed in the database) or aws (Secrets Manager).")
    static final class Store extends TenantScoped {
        @Option(names = "--backend", paramLabel = "local|aws") String backend;
        @Option(names = "--region", paramLabel = "REGION", description = "aws: the Secrets Manager region (default: the platform's AWS_REGION).") String region;

        @Override
        Integer run(ConnectionService connections, Principal principal) {
            OutboundSettings s = backend == null ? connections.settings(principal.tenantId()) : connections.chooseSecretStore(principal, backend, region);
            Output.print(ConnectionJson.settings(s));
            return 0;
        }
    }

    /**
     * The JSON printed is the API's (its details name API calls, as scripts may share them with the
     * HTTP API); failures, which an operator reads at the terminal, name this program's commands.
     */
    static String message(ConnectionFailure f) {
        Connection c = f.connection();
        if (c == null) return f.getMessage();
        if (ConnectionFailure.REAUTH_REQUIRED.equals(f.code())) {
            return "Connection " + c.connectionId() + " needs consent again (" + detail(c.tenantId(), c.connectionId(), f.need())
                    + "). Run: airotech-connect connections authorize --tenant " + c.tenantId() + " " + c.connectionId();
        }
        return "Connection " + c.connectionId() + " has no credential yet. Enter it with: " + command("rotate", c.tenantId(), c.connectionId());
    }

    /** What a connection waits for, with the next step as a command of this program. */
    static String detail(String tenantId, String id, Detail d) {
        if (d instanceof Detail.Text t) return t.text();
        if (d instanceof Detail.NeedsProbe) return "Not probed yet: run " + command("probe", tenantId, id) + ".";
        if (d instanceof Detail.NeedsMaterial) return "No credential yet: enter it with " + command("rotate", tenantId, id) + ".";
        if (d instanceof Detail.NeedsClientSecretAndConsent) {
            return "No consent yet: register the client secret with " + command("rotate", tenantId, id) + ", then give consent at the URL "
                    + command("authorize", tenantId, id) + " prints.";
        }
        if (d instanceof Detail.NeedsConsent) return "Client secret registered; give consent at the URL " + command("authorize", tenantId, id) + " prints.";
        if (d instanceof Detail.NeedsRole) {
            return "No role yet: create the role with the trust policy shown, then enter its role_arn with " + command("rotate", tenantId, id) + ".";
        }
        if (d instanceof Detail.NeedsConsentAgain a) return "Consent must be given again: " + a.reason() + ".";
        if (d instanceof Detail.TargetRefused t) return com.airotech.connect.connection.Wording.targetRefused(t);
        Detail.CredentialRefused r = (Detail.CredentialRefused) d;
        return r.what() + ": the system refused the credential. Stage a correct one with " + command("rotate", tenantId, id) + ".";
    }

    private static String command(String verb, String tenantId, String id) {
        return "airotech-connect connections " + verb + " --tenant " + tenantId + " " + id;
    }

    private static ObjectNode object(String text, String where) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw ApiException.invalidRequest("The JSON of " + where + " is not valid (its content is not shown, as it may hold material).");
        }
        if (!(n instanceof ObjectNode o)) throw ApiException.invalidRequest("The JSON of " + where + " must be an object.");
        return o;
    }

    /** A line of material: hidden when typed at a terminal, else read from standard input. */
    private static String secretLine(String prompt) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] c = console.readPassword(prompt);
            if (c == null) throw ApiException.invalidRequest("No input was given.");
            String s = new String(c);
            java.util.Arrays.fill(c, '\0');
            return s;
        }
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    // ------------------------------------------------------------------ keys

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the master key.", subcommands = {KeysRotate.class})
    public static final class Keys {}

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Create a new master key and re-wrap every tenant data key (and every other sealed value) under it. "
                    + "Safe to interrupt: run it again to finish.")
    static final class KeysRotate implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Override
        public Integer call() {
            try (Platform p = Platform.open(common.existingConfig())) {
                KeyRotation.Result r = p.keyRotation().rotate();
                Output.print(Json.object().put("master_key_id", r.masterKeyId()).put("previous_master_key_id", r.previousMasterKeyId())
                        .put("data_keys_rewrapped", r.dataKeysRewrapped()).put("sealed_values_resealed", r.valuesResealed())
                        .put("finished_interrupted_rotation", r.resumedInterrupted()));
                return 0;
            }
        }
    }
}
