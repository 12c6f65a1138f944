package com.airotech.connect;

import com.airotech.connect.app.Config;
import com.airotech.connect.cli.AdminTokenCommands;
import com.airotech.connect.cli.AuditCommands;
import com.airotech.connect.cli.BackupCommands;
import com.airotech.connect.cli.ConnectorsCommands;
import com.airotech.connect.cli.ConnectionsCommands;
import com.airotech.connect.cli.ConsoleCommand;
import com.airotech.connect.cli.RetentionCommands;
import com.airotech.connect.cli.ServeCommand;
import com.airotech.connect.cli.SimulateCommand;
import com.airotech.connect.cli.SiteCommands;
import com.airotech.connect.cli.SubscriptionsCommands;
import com.airotech.connect.cli.TenantCommands;
import com.airotech.connect.common.ApiException;
import com.airotech.connect.common.LogSafe;
import com.airotech.connect.store.StorageException;
import com.airotech.connect.ui.Console;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line (API.md §1): the top command, which subcommand groups it has (each one file in
 * {@code cli/}) and how a failure becomes an exit code. Results go to stdout as JSON; messages for
 * people go to stderr.
 */
@Command(name = "airotech-connect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "AIROTECH Connect: the on-prem connector gateway and its operator console.",
        subcommands = {ServeCommand.class, ConsoleCommand.class, TenantCommands.class, AuditCommands.class, ConnectorsCommands.class,
                ConnectionsCommands.Group.class, ConnectionsCommands.Keys.class, SubscriptionsCommands.Group.class,
                SiteCommands.ImportCmd.class, SiteCommands.ExportCmd.class, SimulateCommand.class,
                BackupCommands.BackupCmd.class, BackupCommands.RestoreCmd.class, AdminTokenCommands.AdminToken.class,
                RetentionCommands.Group.class})
public final class Main implements Callable<Integer> {
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
            LoggerFactory.getLogger(Main.class).debug("the command failed", LogSafe.withoutMessages(ex));
            cmd.getErr().println("error: " + msg);
            return exitCode(ex);
        });
        // A one-shot command answers on stdout; its progress lines (opening storage, "stopped
        // cleanly") are noise on stderr. Warnings and errors still show; AIROTECH_LOG_LEVEL overrides.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("console");
        boolean quiet = !Set.of("serve", "console").contains(command) && System.getenv("AIROTECH_LOG_LEVEL") == null;
        if (quiet) root.setLevel(Level.WARN);
        try {
            return cl.execute(args);
        } finally {
            if (quiet) root.setLevel(before);
        }
    }

    /** 2 for a request the operator got wrong (a 400: fix the arguments), 1 for any other failure. */
    static int exitCode(Exception ex) {
        return ex instanceof ApiException ae && ae.kind() == ApiException.Kind.INVALID ? 2 : 1;
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
        return Console.run(Config.defaults(Config.defaultDataDir()), option -> false);
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
}
