package com.airotech.connect.cli;

import com.airotech.connect.common.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A command's result: one JSON document on standard output (API.md §1); messages for people go to stderr. */
public final class Output {
    private Output() {}

    public static void print(Object json) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        out.println(Json.write(json));
        out.flush();
    }
}
