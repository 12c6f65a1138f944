package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.wire.ConnectorAnswers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code connectors list|register|rotate|revoke} (API.md §3): the same service calls as {@code /api/connectors}. */
@Command(name = "connectors", mixinStandardHelpOptions = true, description = "Administer a tenant's connectors.",
        subcommands = {ConnectorsCommands.ListCmd.class, ConnectorsCommands.Register.class, ConnectorsCommands.Rotate.class, ConnectorsCommands.Revoke.class})
public final class ConnectorsCommands {
    private ConnectorsCommands() {}

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's connectors (no credential material).")
    static final class ListCmd extends TenantCommand {
        @Override
        Integer run(Platform p, Principal principal) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (Connector c : p.connectors().list(principal)) arr.add(ConnectorService.toJson(c));
            Output.print(arr);
            return 0;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a connector; prints its credential once.")
    static final class Register extends TenantCommand {
        @Option(names = "--system-name", required = true, paramLabel = "NAME") String systemName;
        @Option(names = "--auth-method", required = true, paramLabel = "METHOD", description = "hmac, oauth2, api_key, rsa, basic or mtls.") String authMethod;
        @Option(names = "--webhook-url", paramLabel = "URL") String webhookUrl;
        @Option(names = "--event-type", paramLabel = "TYPE", description = "Allowed event type (repeatable; none = any).") List<String> eventTypes;
        @Option(names = "--grace-seconds", paramLabel = "N", defaultValue = "60", description = "Rotation grace (0-86400, default ${DEFAULT-VALUE}).") int grace;
        @Option(names = "--public-key-file", paramLabel = "PEM", description = "rsa: the sender's public key (else one is generated).") Path publicKey;
        @Option(names = "--csr-file", paramLabel = "PEM", description = "mtls: a CSR to sign (else a certificate and key are issued).") Path csr;
        @Option(names = "--certificate-days", paramLabel = "N", description = "mtls: client certificate lifetime in days (default 397).") Integer certificateDays;

        @Override
        Integer run(Platform p, Principal principal) throws IOException {
            CredentialOptions opts = new CredentialOptions(publicKey == null ? null : Files.readString(publicKey),
                    csr == null ? null : Files.readString(csr), certificateDays);
            Registration r = p.connectors().register(principal, new RegistrationRequest(systemName, webhookUrl,
                    AuthMethod.fromWire(authMethod), eventTypes, grace, opts));
            Output.print(ConnectorAnswers.registered(r));
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Rotate a connector's credential; the previous stays valid for the grace.")
    static final class Rotate extends TenantCommand {
        @Parameters(paramLabel = "CONNECTOR_ID") String connectorId;
        @Option(names = "--grace-seconds", paramLabel = "N", description = "Grace for the previous credential (default: the connector's).") Integer grace;
        @Option(names = "--public-key-file", paramLabel = "PEM", description = "rsa: the new public key (else one is generated).") Path publicKey;
        @Option(names = "--csr-file", paramLabel = "PEM", description = "mtls: a CSR for the new certificate.") Path csr;
        @Option(names = "--certificate-days", paramLabel = "N", description = "mtls: client certificate lifetime in days (default 397).") Integer certificateDays;

        @Override
        Integer run(Platform p, Principal principal) throws IOException {
            CredentialOptions opts = new CredentialOptions(publicKey == null ? null : Files.readString(publicKey),
                    csr == null ? null : Files.readString(csr), certificateDays);
            ConnectorService.Rotation r = p.connectors().rotate(principal, connectorId, grace, opts);
            Output.print(ConnectorAnswers.rotated(r));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a connector at once.")
    static final class Revoke extends TenantCommand {
        @Parameters(paramLabel = "CONNECTOR_ID") String connectorId;

        @Override
        Integer run(Platform p, Principal principal) {
            Output.print(ConnectorService.toJson(p.connectors().revoke(principal, connectorId)));
            return 0;
        }
    }
}
