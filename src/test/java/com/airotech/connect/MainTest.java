package com.airotech.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.common.Json;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line in-process: exit codes and JSON on stdout, messages on stderr. */
class MainTest {
    record Run(int exit, String out, String err) {
        JsonNode json() { return Json.tree(out); }
    }

    static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void versionPrintsTheProgramAndVersion() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("airotech-connect ");
    }

    @Test
    void everySubcommandAnswersVersion() {
        for (String[] args : new String[][] {{"tenant", "--version"}, {"serve", "--version"}, {"connectors", "list", "--version"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("airotech-connect ");
        }
    }

    @Test
    void commandsOnWhatExistsRefuseADataDirectoryThatDoesNotAndCreateNothing() {
        Path missing = TestGateway.tempDir().resolve("typo");
        for (String[] args : new String[][] {{"tenant", "list"}, {"audit", "verify"}, {"export"}, {"keys", "rotate"},
                {"connectors", "list", "--tenant", "tn_x"}, {"connections", "list", "--tenant", "tn_x"}}) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--data-dir", missing.toString())).toArray(String[]::new);
            Run r = run(full);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args)).contains("There is no data directory at " + missing).contains("--data-dir");
            assertThat(r.out()).isEmpty();
            assertThat(missing).as("nothing created by " + String.join(" ", args)).doesNotExist();
        }
        // creating a tenant is how a site starts: that one creates the directory
        assertThat(run("tenant", "create", "first", "--data-dir", missing.toString()).exit()).isZero();
        assertThat(run("tenant", "list", "--data-dir", missing.toString()).exit()).isZero();
    }

    @Test
    void auditListShowsATenantsTrailPageByPageAndFiltered() {
        Path dir = TestGateway.tempDir().resolve("d");
        String d = dir.toString();
        String tenant = run("tenant", "create", "trail", "--data-dir", d).json().get("tenant_id").asText();
        String other = run("tenant", "create", "other", "--data-dir", d).json().get("tenant_id").asText();
        String secret = null;
        for (int i = 0; i < 3; i++) {
            JsonNode c = run("connectors", "register", "--tenant", tenant, "--system-name", "s" + i, "--auth-method", "api_key", "--data-dir", d).json();
            secret = c.get("credential").asText();
        }
        run("connectors", "register", "--tenant", other, "--system-name", "elsewhere", "--auth-method", "hmac", "--data-dir", d);

        Run firstPage = run("audit", "list", "--tenant", tenant, "--limit", "2", "--data-dir", d);
        assertThat(firstPage.exit()).as(firstPage.err()).isZero();
        JsonNode page = firstPage.json();
        assertThat(page.get("entries")).hasSize(2);
        assertThat(page.get("entries").get(0).get("action").asText()).isEqualTo("tenant.created");
        String cursor = page.get("next_cursor").asText();
        JsonNode rest = run("audit", "list", "--tenant", tenant, "--limit", "2", "--cursor", cursor, "--data-dir", d).json();
        assertThat(rest.get("entries")).hasSize(2);
        assertThat(rest.get("next_cursor").isNull()).isTrue();

        JsonNode all = run("audit", "list", "--tenant", tenant, "--limit", "1", "--all", "--data-dir", d).json();
        assertThat(all.get("entries")).hasSize(4);
        assertThat(all.get("entries").findValuesAsText("id")).doesNotHaveDuplicates();
        assertThat(all.toString()).doesNotContain(secret).doesNotContain("elsewhere");
        assertThat(all.get("entries").get(1).get("actor").asText()).startsWith("os:");

        JsonNode registered = run("audit", "list", "--tenant", tenant, "--action", "connector.registered", "--data-dir", d).json();
        assertThat(registered.get("entries").findValuesAsText("action")).hasSize(3).containsOnly("connector.registered");

        Run unknown = run("audit", "list", "--tenant", "tn_nope", "--data-dir", d);
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("not found");
        Run badTime = run("audit", "list", "--tenant", tenant, "--from", "yesterday", "--data-dir", d);
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("--from");
    }

    @Test
    void tenantCreatePrintsTheTokenOnceAndListNeverDoes() {
        Path dir = TestGateway.tempDir().resolve("d");
        Run created = run("tenant", "create", "acme", "--data-dir", dir.toString(), "--actor", "ops@site");
        assertThat(created.exit()).isZero();
        JsonNode t = created.json();
        assertThat(t.get("tenant_id").asText()).startsWith("tn_");
        assertThat(t.get("name").asText()).isEqualTo("acme");
        String token = t.get("admin_token").asText();
        assertThat(token).startsWith("atk_");
        Run listed = run("tenant", "list", "--data-dir", dir.toString());
        assertThat(listed.exit()).isZero();
        assertThat(listed.json().get(0).get("tenant_id").asText()).isEqualTo(t.get("tenant_id").asText());
        assertThat(listed.out()).doesNotContain(token);
        Run again = run("tenant", "create", "acme", "--data-dir", dir.toString());
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void connectorsCanBeRegisteredRotatedAndRevokedFromTheCommandLine() {
        Path dir = TestGateway.tempDir().resolve("d");
        String tenant = run("tenant", "create", "site", "--data-dir", dir.toString()).json().get("tenant_id").asText();
        Run reg = run("connectors", "register", "--tenant", tenant, "--system-name", "bms-north", "--auth-method", "hmac",
                "--event-type", "door_open", "--data-dir", dir.toString());
        assertThat(reg.exit()).as(reg.err()).isZero();
        JsonNode c = reg.json();
        String id = c.get("connector_id").asText();
        assertThat(c.get("credential").asText()).startsWith("whsec_");
        Run rot = run("connectors", "rotate", id, "--tenant", tenant, "--grace-seconds", "30", "--data-dir", dir.toString());
        assertThat(rot.exit()).as(rot.err()).isZero();
        assertThat(rot.json().get("credential").asText()).startsWith("whsec_").isNotEqualTo(c.get("credential").asText());
        assertThat(rot.json().get("previous_valid_until").asText()).endsWith("Z");
        Run list = run("connectors", "list", "--tenant", tenant, "--data-dir", dir.toString());
        assertThat(list.out()).contains(id).doesNotContain(c.get("credential").asText()).doesNotContain(rot.json().get("credential").asText());
        Run rev = run("connectors", "revoke", id, "--tenant", tenant, "--data-dir", dir.toString());
        assertThat(rev.json().get("status").asText()).isEqualTo("revoked");
        Run audit = run("audit", "verify", "--data-dir", dir.toString());
        assertThat(audit.exit()).isZero();
        assertThat(audit.json().get("entries").asInt()).isEqualTo(4);
    }

    @Test
    void anUnknownTenantOrMethodIsAClearError() {
        Path dir = TestGateway.tempDir().resolve("d");
        String tenant = run("tenant", "create", "x", "--data-dir", dir.toString()).json().get("tenant_id").asText();
        Run r = run("connectors", "list", "--tenant", "tn_nope", "--data-dir", dir.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("not found");
        Run m = run("connectors", "register", "--tenant", tenant, "--system-name", "s", "--auth-method", "telepathy", "--data-dir", dir.toString());
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.err()).contains("auth_method");
    }

    @Test
    void afterKeysRotateEverythingSealedOpensWithTheNewKeyAlone() throws Exception {
        Path dir = TestGateway.tempDir().resolve("d");
        String tenant = run("tenant", "create", "rot", "--data-dir", dir.toString()).json().get("tenant_id").asText();
        String id = run("connectors", "register", "--tenant", tenant, "--system-name", "s", "--auth-method", "hmac",
                "--data-dir", dir.toString()).json().get("connector_id").asText();
        byte[] oldKey = java.nio.file.Files.readAllBytes(dir.resolve("master.key"));
        byte[] caBefore = java.nio.file.Files.readAllBytes(dir.resolve("ca-key.sealed"));
        Run rotated = run("keys", "rotate", "--data-dir", dir.toString());
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve("master.key"))).isNotEqualTo(oldKey);
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve("ca-key.sealed"))).isNotEqualTo(caBefore);
        try (var stream = java.nio.file.Files.list(dir)) {
            assertThat(stream.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("master.key.") && !n.endsWith(".lock"));
        }
        // a new process with only the new key: the CA, the signing keys and the sealed HMAC secret all open
        try (com.airotech.connect.app.Platform p = com.airotech.connect.app.Platform.open(
                com.airotech.connect.app.Config.defaults(dir).withPorts(0, -1))) {
            assertThat(p.ca().certificate()).isNotNull();
            var auth = p.connectors().auth(tenant, id).orElseThrow();
            assertThat(auth.credentials()).hasSize(1);
            assertThat(auth.credentials().get(0).hmacKey()).isNotNull();
        }
    }
}
