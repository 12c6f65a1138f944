package com.airotech.connect.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.common.Json;
import com.airotech.connect.testing.GatewayProcess;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.SixMethods;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The promise of a backup: taken by the command line (another process) while the gateway takes
 * events, restored into a new directory, it gives a site on which every old credential of all six
 * methods (mtls included: the same CA), the old admin token and the audit chain still verify.
 */
class RestoreEveryMethodIT {

    private static Config config(Path dir) {
        return new Config(dir, "127.0.0.1", 0, 0, List.of(), null, Config.DEFAULT_MAX_BODY, 8192, Clock.systemUTC());
    }

    @Test
    void aBackupTakenUnderIngestRestoresASiteOnWhichEveryOldCredentialStillWorks() throws Exception {
        Path work = TestGateway.tempDir();
        Path backup = work.resolve("site.zip");
        Path restored = work.resolve("restored");
        Map<String, JsonNode> connectors = new LinkedHashMap<>();
        TestGateway.TenantHandle acme;
        String caPem;
        long ackedBeforeBackup;
        try (TestGateway a = TestGateway.start(config(work.resolve("data")))) {
            acme = a.tenant("acme");
            for (String m : SixMethods.ALL) {
                JsonNode c = a.register(acme, m, null);
                connectors.put(m, c);
                assertThat(SixMethods.send(a, m, c, c)).as(m).isEqualTo(202);
            }
            caPem = a.platform.ca().certificatePem();

            // a site gateway keeps sending while the backup runs
            JsonNode hmac = connectors.get("hmac");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acked = new AtomicLong();
            Thread sender = new Thread(() -> {
                while (!stop.get()) {
                    byte[] body = Signer.event("temp_reading", null);
                    if (a.ingest(hmac.get("webhook_path").asText(), body, Signer.hmac(hmac.get("credential").asText(), body)).status() == 202) {
                        acked.incrementAndGet();
                    }
                }
            });
            sender.start();
            try {
                com.airotech.connect.testing.Await.until("events flowing", () -> acked.get() > 20, java.time.Duration.ofSeconds(30));
                ackedBeforeBackup = acked.get() + SixMethods.ALL.size();
                GatewayProcess.Result r = GatewayProcess.run("backup", "--to", backup.toString(), "--data-dir", a.dataDir.toString());
                assertThat(r.exit()).as(r.stderr()).isZero();
                assertThat(acked.get()).as("events taken while the backup ran").isGreaterThan(ackedBeforeBackup - SixMethods.ALL.size());
                JsonNode out = Json.tree(r.stdout());
                assertThat(out.path("manifest").path("parts").findValuesAsText("name"))
                        .contains("airotech.db", "master.key", "ca.pem", "ca-key.sealed", "oauth-signing-keys.json");
            } finally {
                stop.set(true);
                sender.join();
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");

        GatewayProcess.Result r = GatewayProcess.run("restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("serve --data-dir " + restored);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored))).isEqualTo("rwx------");
        try (var files = Files.list(restored)) {
            for (Path f : files.toList()) assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }

        try (TestGateway b = TestGateway.start(config(restored))) {
            assertThat(b.platform.ca().certificatePem()).isEqualTo(caPem);
            for (String m : SixMethods.ALL) {
                JsonNode c = connectors.get(m);
                assertThat(SixMethods.send(b, m, c, c)).as("the old " + m + " credential on the restored site").isEqualTo(202);
            }
            TestGateway.Response listed = b.get(acme.token(), "/api/connectors");
            assertThat(listed.status()).as("the old admin token").isEqualTo(200);
            assertThat(listed.json().get("connectors")).hasSize(SixMethods.ALL.size());
            assertThat(b.platform.audit().verify().intact()).isTrue();
            long stored = b.platform.database().read(c -> {
                try (var ps = c.prepareStatement("SELECT count(*) FROM events"); var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(stored).as("every event acknowledged before the backup began").isGreaterThanOrEqualTo(ackedBeforeBackup);
        }
    }
}
