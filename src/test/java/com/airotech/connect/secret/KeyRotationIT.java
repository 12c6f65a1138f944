package com.airotech.connect.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.Main;
import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.CredentialOwner;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.Database;
import com.airotech.connect.testing.FakeBms;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code keys rotate} stopped dead after each of its durable steps (as {@code kill -9} would stop
 * it: no cleanup runs, an open transaction is rolled back by SQLite), then the directory is opened
 * again by a fresh process: every secret still opens, and the next {@code keys rotate} finishes
 * the job, leaving one master key that opens everything.
 */
class KeyRotationIT {
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() { super("simulated kill -9", null, false, false); }
    }

    record Site(Path dataDir, String tenantToken, String connectionId, String webhookPath, String whsec) {}

    static Site prepare(FakeBms bms, String password) {
        Path dir = TestGateway.tempDir().resolve("data");
        try (TestGateway gw = TestGateway.start(Config.defaults(dir).withPorts(0, -1))) {
            TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("rotation"));
            var connector = gw.register(t, "hmac", null);
            TestGateway.Response c = gw.postJson(t.token(), "/api/connections",
                    "{\"name\":\"bms\",\"kind\":\"basic\",\"base_url\":\"" + bms.baseUrl() + "\",\"probe_path\":\"/health\"}");
            String id = c.text("connection_id");
            TestGateway.Response ok = gw.postJson(t.token(), "/api/connections/" + id + "/credential",
                    Json.write(Json.object().put("username", "site").put("password", password)));
            assertThat(ok.text("status")).isEqualTo("healthy");
            return new Site(dir, t.token(), id, connector.get("webhook_path").asText(), connector.get("credential").asText());
        }
    }

    /** Every secret opens: the connection's material (through a probe) and the hmac connector's key (through ingest). */
    static void everythingOpens(TestGateway gw, Site s) {
        assertThat(gw.postJson(s.tenantToken(), "/api/connections/" + s.connectionId() + "/probe", "{}").text("status")).isEqualTo("healthy");
        byte[] event = Signer.event("temp_reading", null);
        assertThat(gw.ingest(s.webhookPath(), event, Signer.hmac(s.whsec(), event)).status()).isEqualTo(202);
    }

    static List<String> keyFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("master.key") && !n.endsWith(".lock")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "killed after {0}")
    @ValueSource(strings = {"next-written", "prev-written", "promoted", "rewrapping", "rewrapped"})
    void aRotationKilledMidwayLosesNothingAndTheNextOneFinishesIt(String step) throws Exception {
        try (FakeBms bms = FakeBms.http()) {
            String password = "pw-" + UUID.randomUUID();
            bms.validBasic.add(FakeBms.basic("site", password));
            Site s = prepare(bms, password);

            Database db = Database.open(s.dataDir().resolve("airotech.db"));
            MasterKey mk = MasterKey.loadOrCreate(DataDirectory.open(s.dataDir()));
            String before = mk.currentKeyId();
            KeyRotation rotation = new KeyRotation(mk, db, Clock.systemUTC(), List.of(new KeyRotation.SealedColumn("connector_credentials",
                    List.of("tenant_id", "connector_id", "credential_id"), "sealed_secret", k -> new CredentialOwner(k.get(0), k.get(1), k.get(2)).associatedData())),
                    at -> { if (at.equals(step)) throw new SimulatedCrash(); });
            assertThatThrownBy(rotation::rotate).isInstanceOf(SimulatedCrash.class);
            db.close();
            assertThat(keyFiles(s.dataDir())).hasSizeGreaterThan(1);

            try (TestGateway gw = TestGateway.start(Config.defaults(s.dataDir()).withPorts(0, -1))) {
                everythingOpens(gw, s);

                // the operator runs it again, beside the running gateway
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream stdout = System.out;
                System.setOut(new PrintStream(out, true));
                int code;
                try {
                    code = Main.run("keys", "rotate", "--data-dir", s.dataDir().toString());
                } finally {
                    System.setOut(stdout);
                }
                assertThat(code).isZero();
                var result = Json.tree(out.toString().strip());
                assertThat(result.get("finished_interrupted_rotation").asBoolean()).isTrue();
                assertThat(result.get("master_key_id").asText()).isNotEqualTo(before);
                assertThat(keyFiles(s.dataDir())).containsExactly("master.key");

                everythingOpens(gw, s);
                String current = MasterKey.idOf(Files.readAllBytes(s.dataDir().resolve("master.key")));
                List<String> wrappedUnder = new ArrayList<>();
                List<String> sealedUnder = new ArrayList<>();
                gw.platform.database().read(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT master_key_id, wrapped_key FROM tenant_data_keys")) {
                        while (rs.next()) {
                            wrappedUnder.add(rs.getString(1));
                            wrappedUnder.add(MasterKey.keyIdOf(rs.getBytes(2)));
                        }
                    }
                    try (var rs = c.createStatement().executeQuery("SELECT sealed_secret FROM connector_credentials WHERE sealed_secret IS NOT NULL")) {
                        while (rs.next()) sealedUnder.add(MasterKey.keyIdOf(rs.getBytes(1)));
                    }
                    return null;
                });
                assertThat(wrappedUnder).isNotEmpty().containsOnly(current);
                assertThat(sealedUnder).isNotEmpty().containsOnly(current);
            }
            // and a process that never saw the old key opens everything with the one key left
            try (TestGateway fresh = TestGateway.start(Config.defaults(s.dataDir()).withPorts(0, -1))) {
                everythingOpens(fresh, s);
            }
        }
    }
}
