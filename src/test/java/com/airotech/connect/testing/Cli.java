package com.airotech.connect.testing;

import com.airotech.connect.Main;
import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** The command line run in this JVM as an operator types it: exit code, stdout and stderr. */
public final class Cli {
    private Cli() {}

    public record Run(int code, String out, String err) {
        public JsonNode json() { return Json.tree(out.strip()); }
    }

    public static synchronized Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }
}
