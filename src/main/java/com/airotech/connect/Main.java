package com.airotech.connect;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.audit.AuditPage;
import com.airotech.connect.audit.AuditQuery;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.Connector;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.gateway.Gateway;
import com.airotech.connect.store.StorageException;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.tenant.Tenant;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line (API.md §1). Results go to stdout as JSON; messages for people go to stderr. */
@Command(name = "airotech-connect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "AIROTECH Connect: the on-prem connector gateway and its operator console.",
        subcommands = {Main.Serve.class, Main.ConsoleCmd.class, Main.TenantCmd.class, Main.AuditCmd.class, Main.ConnectorsCmd.class,
                ConnectionsCommands.Group.class, ConnectionsCommands.Keys.class, SubscriptionsCommands.Group.class,
                SiteCommands.ImportCmd.class, SiteCommands.ExportCmd.class, SiteCommands.SimulateCmd.class,
                SiteLifeCommands.BackupCmd.class, SiteLifeCommands.RestoreCmd.class, SiteLifeCommands.AdminToken.class,
                RetentionCommands.Group.class})
public final class Main implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and the launcher). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // every subcommand offers --version (mixinStandardHelpOptions): let each answer it
        giveVersion(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String msg = operatorMessage(ex);
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("the command failed", com.airotech.connect.common.LogSafe.withoutMessages(ex));
            cmd.getErr().println("error: " + msg);
            return ex instanceof ApiException ae && ae.kind() == ApiException.Kind.INVALID ? 2 : 1;
        });
        // A one-shot command answers on stdout; its progress lines (opening storage, "stopped
        // cleanly") are noise on stderr. Warnings and errors still show; AIROTECH_LOG_LEVEL overrides.
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level before = root.getLevel();
        String command = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("console");
        boolean quiet = !java.util.Set.of("serve", "console").contains(command) && System.getenv("AIROTECH_LOG_LEVEL") == null;
        if (quiet) root.setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            return cl.execute(args);
        } finally {
            if (quiet) root.setLevel(before);
        }
    }

    private static void giveVersion(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            giveVersion(sub);
        }
    }

    static String operatorMessage(Exception ex) {
        if (ex instanceof ApiException || ex instanceof StorageException || ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException) {
            return ex.getMessage();
        }
        // an unexpected exception's message may echo what was typed or read (material among it): name the failure only
        return ex.getClass().getSimpleName() + " (an unexpected failure; run it again with AIROTECH_LOG_LEVEL=DEBUG for the stack trace).";
    }

    /** No arguments: the operator console, with the embedded gateway in this process. */
    @Override
    public Integer call() {
        return com.airotech.connect.ui.Console.run(Config.defaults(Config.defaultDataDir()), option -> false);
    }

    @Command(name = "console", mixinStandardHelpOptions = true, description = "Open the operator console (the same as no arguments), with options for this run.")
    static final class ConsoleCmd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine.ParseResult given = spec.commandLine().getParseResult();
            return com.airotech.connect.ui.Console.run(common.toConfig(), given::hasMatchedOption);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"airotech-connect " + version()};
        }
    }

    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/airotech-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static void print(Object json) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        out.println(Json.write(json));
        out.flush();
    }

    // ------------------------------------------------------------------ serve

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway headless (site servers, services, tests); stops cleanly on SIGTERM.")
    static final class Serve implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin SiteLifeCommands.ScheduleOptions backups;

        @Override
        public Integer call() throws InterruptedException {
            Config cfg = common.toConfig();
            Platform platform = Platform.open(cfg);
            Gateway g;
            com.airotech.connect.backup.BackupSchedule schedule;
            try {
                g = platform.startGateway();
                schedule = backups.start(platform);
            } catch (RuntimeException e) {
                platform.close();
                throw e;
            }
            // SIGTERM (the service manager) and SIGINT (Ctrl-C) stop the gateway in order here, and the
            // process exits 0: a clean stop is a success. Any other way out (SIGHUP, an exit from
            // elsewhere) still closes it, through the shutdown hook.
            // A second signal while stopping (Ctrl-C again) ends the process at once: what was
            // acknowledged is on disk already, as after kill -9.
            CountDownLatch stopRequested = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
            try (com.airotech.connect.common.StopSignals handled = com.airotech.connect.common.StopSignals.handle(number -> {
                if (signals.incrementAndGet() > 1) {
                    System.err.println("Stopping at once (second signal); acknowledged events are already on disk.");
                    Runtime.getRuntime().halt(128 + number);
                }
                stopRequested.countDown();
            })) {
                Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "shutdown"));
                ObjectNode line = Json.object().put("event", "listening").put("http_port", g.httpPort());
                if (g.httpsPort() >= 0) line.put("https_port", g.httpsPort()); else line.putNull("https_port");
                line.put("data_dir", platform.dataDirectory().root().toString());
                print(line);
                stopRequested.await();
                if (schedule != null) schedule.close();
                platform.close();
                return 0;
            }
        }
    }

    // ------------------------------------------------------------------ tenant

    @Command(name = "tenant", mixinStandardHelpOptions = true, description = "Create and list tenants.",
            subcommands = {TenantCmd.Create.class, TenantCmd.ListCmd.class, SiteLifeCommands.TenantDisable.class, SiteLifeCommands.TenantEnable.class})
    static final class TenantCmd {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant; prints its admin token once.")
        static final class Create implements Callable<Integer> {
            @Mixin CommonOptions common;
            @Parameters(paramLabel = "NAME", description = "The tenant's name.") String name;
            @Option(names = "--actor", paramLabel = "LABEL", description = "Label of the admin token: the audit actor for what it does (e.g. ops@site).") String actor;

            @Override
            public Integer call() {
                try (Platform p = Platform.open(common.toConfig())) {
                    CreatedTenant t = p.tenants().create(name, actor, Principal.localActor());
                    print(Json.object().put("tenant_id", t.tenant().tenantId()).put("name", t.tenant().name())
                            .put("admin_token", t.adminToken().utf8()).put("actor", t.actorLabel())
                            .put("data_dir", p.dataDirectory().root().toString()));
                    // the data-dir trap: a token written where no gateway looks is refused by the one that runs
                    if (p.dataDirectory().runningGateway().isEmpty()) {
                        System.err.println("The tenant was written to " + p.dataDirectory().root() + ", where no gateway runs now. A gateway started"
                                + " with another --data-dir does not know this token: run tenant create with that gateway's --data-dir.");
                    }
                    return 0;
                }
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants (never tokens).")
        static final class ListCmd implements Callable<Integer> {
            @Mixin CommonOptions common;

            @Override
            public Integer call() {
                try (Platform p = Platform.open(common.existingConfig())) {
                    ArrayNode arr = Json.MAPPER.createArrayNode();
                    for (Tenant t : p.tenants().list()) {
                        arr.add(Json.object().put("tenant_id", t.tenantId()).put("name", t.name()).put("created_at", Times.format(t.createdAt())));
                    }
                    print(arr);
                    return 0;
                }
            }
        }
    }

    // ------------------------------------------------------------------ audit

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and check the audit trail.", subcommands = {AuditCmd.ListCmd.class, AuditCmd.Verify.class, AuditKeyCommand.class, AuditExportCommand.class})
    static final class AuditCmd {
        @Command(name = "list", mixinStandardHelpOptions = true,
                description = "A tenant's audit trail, oldest first, as GET /api/audit gives it: {\"entries\":[…],\"next_cursor\":…}.")
        static final class ListCmd implements Callable<Integer> {
            @Mixin CommonOptions common;
            @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;
            @Option(names = "--from", paramLabel = "TIME", description = "Entries at or after this UTC time (2026-11-22T00:00:00Z).") String from;
            @Option(names = "--to", paramLabel = "TIME", description = "Entries before this UTC time.") String to;
            @Option(names = "--action", paramLabel = "ACTION", description = "Only this action (e.g. connector.rotated).") String action;
            @Option(names = "--actor", paramLabel = "LABEL", description = "Only this actor (e.g. ops@site, os:root).") String actor;
            @Option(names = "--connector-id", paramLabel = "ID", description = "Only entries about this connector (or other target).") String target;
            @Option(names = "--text", paramLabel = "TEXT", description = "Only entries with this text in any field.") String text;
            @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Entries per page, 1-1000 (default ${DEFAULT-VALUE}).") int limit;
            @Option(names = "--cursor", paramLabel = "CURSOR", description = "The next_cursor of the previous page.") String cursor;
            @Option(names = "--all", description = "Every page, one after the other (next_cursor is then null).") boolean all;

            @Override
            public Integer call() {
                try (Platform p = Platform.open(common.existingConfig())) {
                    p.tenants().require(tenantId);
                    AuditQuery q = new AuditQuery(
                            from == null ? null : Times.parse(from, "--from"),
                            to == null ? null : Times.parse(to, "--to"),
                            action, actor, target, text, limit, AuditLog.parseCursor(cursor));
                    ArrayNode entries = Json.MAPPER.createArrayNode();
                    String next;
                    while (true) {
                        AuditPage page = p.audit().page(tenantId, q);
                        page.entries().forEach(e -> entries.add(e.toJson()));
                        next = page.nextCursor();
                        if (!all || next == null) break;
                        q = new AuditQuery(q.from(), q.to(), q.action(), q.actor(), q.target(), q.text(), q.limit(), AuditLog.parseCursor(next));
                    }
                    ObjectNode out = Json.object();
                    out.set("entries", entries);
                    if (next == null) out.putNull("next_cursor"); else out.put("next_cursor", next);
                    print(out);
                    return 0;
                }
            }
        }

        @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check every tenant's audit hash chain: exit 0 if intact, 1 naming the first broken entry.")
        static final class Verify implements Callable<Integer> {
            @Mixin CommonOptions common;

            @Override
            public Integer call() {
                try (Platform p = Platform.open(common.existingConfig())) {
                    AuditLog.Verification v = p.audit().verify();
                    ObjectNode out = Json.object().put("intact", v.intact()).put("tenants", v.tenants()).put("entries", v.entries())
                            .put("keyed", v.keyed());
                    if (v.keyFingerprint() != null) out.put("key_fingerprint", v.keyFingerprint());
                    var prefixes = out.putArray("unkeyed_before");
                    for (AuditLog.UnkeyedPrefix u : v.unkeyedPrefixes()) prefixes.addObject().put("tenant_id", u.tenantId()).put("keyed_from", u.keyedFrom());
                    if (!v.intact()) out.put("problem", v.problem());
                    print(out);
                    for (AuditLog.UnkeyedPrefix u : v.unkeyedPrefixes()) System.err.println("note: " + u.describe());
                    if (!v.intact()) System.err.println("audit chain broken: " + v.problem());
                    return v.intact() ? 0 : 1;
                }
            }
        }
    }

    // ------------------------------------------------------------------ connectors

    @Command(name = "connectors", mixinStandardHelpOptions = true, description = "Administer a tenant's connectors.",
            subcommands = {ConnectorsCmd.ListCmd.class, ConnectorsCmd.Register.class, ConnectorsCmd.Rotate.class, ConnectorsCmd.Revoke.class})
    static final class ConnectorsCmd {
        abstract static class TenantScoped implements Callable<Integer> {
            @Mixin CommonOptions common;
            @Option(names = "--tenant", required = true, paramLabel = "ID", description = "The tenant id (tn_…).") String tenantId;

            @Override
            public Integer call() throws IOException {
                try (Platform p = Platform.open(common.existingConfig())) {
                    p.tenants().require(tenantId);
                    return run(p, Principal.local(tenantId));
                }
            }

            abstract Integer run(Platform p, Principal principal) throws IOException;
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's connectors (no credential material).")
        static final class ListCmd extends TenantScoped {
            @Override
            Integer run(Platform p, Principal principal) {
                ArrayNode arr = Json.MAPPER.createArrayNode();
                for (Connector c : p.connectors().list(principal)) arr.add(ConnectorService.toJson(c));
                print(arr);
                return 0;
            }
        }

        @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a connector; prints its credential once.")
        static final class Register extends TenantScoped {
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
                ObjectNode out = ConnectorService.toJson(r.connector());
                com.airotech.connect.gateway.Reveal.once(out, r.issued());
                print(out);
                return 0;
            }
        }

        @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Rotate a connector's credential; the previous stays valid for the grace.")
        static final class Rotate extends TenantScoped {
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
                ObjectNode out = ConnectorService.toJson(r.connector());
                com.airotech.connect.gateway.Reveal.once(out, r.issued());
                out.put("previous_valid_until", Times.format(r.previousValidUntil()));
                print(out);
                return 0;
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a connector at once.")
        static final class Revoke extends TenantScoped {
            @Parameters(paramLabel = "CONNECTOR_ID") String connectorId;

            @Override
            Integer run(Platform p, Principal principal) {
                print(ConnectorService.toJson(p.connectors().revoke(principal, connectorId)));
                return 0;
            }
        }
    }
}
