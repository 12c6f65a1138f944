package com.airotech.connect.cli;

import com.airotech.connect.ui.Console;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code console}: the operator console with options for this run (no arguments at all opens it too, see {@code Main}). */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Open the operator console (the same as no arguments), with options for this run.")
public final class ConsoleCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ParseResult given = spec.commandLine().getParseResult();
        return Console.run(common.toConfig(), given::hasMatchedOption);
    }
}
