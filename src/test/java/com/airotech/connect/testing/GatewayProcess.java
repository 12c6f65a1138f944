package com.airotech.connect.testing;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as a separate process (what a site server runs), for crash and leak tests.
 * stdout and stderr go to files so the tests can search everything the process printed.
 */
public final class GatewayProcess implements AutoCloseable {
    public final Process process;
    public final int httpPort;
    public final JsonNode listening;
    public final Path stdout;
    public final Path stderr;

    private GatewayProcess(Process p, JsonNode listening, Path stdout, Path stderr) {
        this.process = p;
        this.listening = listening;
        this.httpPort = listening.get("http_port").asInt();
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Path jar() {
        String jar = System.getProperty("airotech.jar", "target/airotech-connect.jar");
        Path p = Path.of(jar);
        if (!Files.exists(p)) throw new IllegalStateException("the packaged jar is missing: run `mvn verify` (package runs first)");
        return p;
    }

    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code serve} and waits (up to the timeout) for its listening line. */
    public static GatewayProcess serve(Path dataDir, Path logDir, long timeoutMillis, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", dataDir.toString(), "--http-port", "0", "--https-port", "-1"));
        args.addAll(List.of(extra));
        Files.createDirectories(logDir);
        String stamp = Long.toString(System.nanoTime());
        Path out = logDir.resolve("serve-" + stamp + ".out");
        Path err = logDir.resolve("serve-" + stamp + ".err");
        Process p = new ProcessBuilder(command(args.toArray(String[]::new)))
                .redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).endsWith("}")) {
                return new GatewayProcess(p, Json.tree(lines.get(0)), out, err);
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("serve exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            try {
                p.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if the process exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("serve did not report listening within " + timeoutMillis + " ms: " + Files.readString(err));
    }

    /** Runs a command-line invocation to completion; returns exit code, stdout and stderr. */
    public static Result run(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(args)).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    public record Result(int exit, String stdout, String stderr) {}

    public String url(String path) { return "http://127.0.0.1:" + httpPort + path; }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait for the clean stop. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("serve did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    public String output() throws IOException { return Files.readString(stdout) + Files.readString(stderr); }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }

}
