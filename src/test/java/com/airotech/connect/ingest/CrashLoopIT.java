package com.airotech.connect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.app.Config;
import com.airotech.connect.app.Platform;
import com.airotech.connect.bus.EventMessage;
import com.airotech.connect.common.Json;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.CredentialOptions;
import com.airotech.connect.connector.Registration;
import com.airotech.connect.connector.RegistrationRequest;
import com.airotech.connect.tenant.CreatedTenant;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.KafkaBroker;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway as a separate process, killed with SIGKILL at random moments while eight
 * threads post signed events for three tenants, and restarted: nothing acknowledged may be lost or
 * stored twice, the database must stay intact, and every stored event must reach Kafka.
 */
class CrashLoopIT {
    private static final int ITERATIONS = 10;
    private static final int SENDERS = 8;

    record Target(String tenantId, String token, String connectorId, String webhookPath, String whsec) {}

    record Gateway(Process process, int port, long startMillis) {}

    @Test
    void killingTheGatewayAtRandomMomentsLosesNoAcknowledgedEventAndStoresNoneTwice() throws Exception {
        Path jar = Path.of(System.getProperty("airotech.jar", "target/airotech-connect.jar"));
        assertThat(jar).as("the packaged jar (run through mvn verify)").exists();
        Path data = TestGateway.tempDir().resolve("data");
        try (KafkaBroker broker = KafkaBroker.start()) {
            List<Target> targets = setUp(data);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            String[] pending = new String[SENDERS];
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

            long slowestStart = 0;
            for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                Gateway gw = start(jar, data, broker.bootstrap());
                slowestStart = Math.max(slowestStart, gw.startMillis());
                assertThat(gw.startMillis()).as("restart time of iteration %d (ms)", iteration).isLessThan(5000);
                CountDownLatch done = new CountDownLatch(SENDERS);
                AtomicInteger answered = new AtomicInteger();
                int it = iteration;
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    Thread t = new Thread(() -> {
                        try {
                            send(http, gw.port(), targets.get(sender % targets.size()), it, sender, pending, acknowledged, answered);
                        } finally {
                            done.countDown();
                        }
                    }, "sender-" + s);
                    t.setDaemon(true);
                    t.start();
                }
                Await.until("50 answers before the kill", () -> answered.get() >= 50, Duration.ofSeconds(10));
                Thread.sleep(ThreadLocalRandom.current().nextInt(50, 1200)); // the random moment of the kill
                gw.process().destroyForcibly();
                assertThat(gw.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(done.await(30, TimeUnit.SECONDS)).as("senders notice the dead gateway").isTrue();
                assertThat(integrityCheck(data)).isEqualTo("ok");
            }

            Gateway last = start(jar, data, broker.bootstrap());
            try {
                Await.until("the outbox draining after the last restart", () -> drained(http, last.port(), targets.get(0)),
                        Duration.ofSeconds(60));
            } finally {
                last.process().destroy();
                last.process().waitFor(20, TimeUnit.SECONDS);
            }

            List<String> stored = storedEvents(data);
            assertThat(new HashSet<>(stored)).as("stored exactly once").hasSameSizeAs(stored);
            assertThat(stored).as("every acknowledged event is stored").containsAll(acknowledged);
            assertThat(acknowledged).hasSizeGreaterThan(ITERATIONS * 50);

            List<String> topics = new ArrayList<>();
            for (Target t : targets) topics.add("airotech." + t.tenantId() + ".reading");
            List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topics, stored.size(), Duration.ofSeconds(60));
            Set<String> inKafka = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                inKafka.add(header(r, EventMessage.TENANT_ID) + "|" + header(r, EventMessage.CONNECTOR_ID) + "|" + header(r, EventMessage.EVENT_ID));
            }
            assertThat(inKafka).as("every stored event reached Kafka, and nothing else did").isEqualTo(new HashSet<>(stored));
            assertThat(records.size()).as("at least once").isGreaterThanOrEqualTo(stored.size());
            System.out.printf("crash loop: %d kills, %d acknowledged, %d stored, %d Kafka records, slowest restart %d ms%n",
                    ITERATIONS, acknowledged.size(), stored.size(), records.size(), slowestStart);
        }
    }

    private static List<Target> setUp(Path data) {
        List<Target> out = new ArrayList<>();
        try (Platform p = Platform.open(Config.defaults(data))) {
            for (String name : List.of("north", "south", "east")) {
                CreatedTenant t = p.tenants().create(name, "ops@" + name, "test");
                String tid = t.tenant().tenantId();
                Registration r = p.connectors().register(Principal.local(tid), new RegistrationRequest("gw-" + name, null,
                        AuthMethod.HMAC, null, 60, new CredentialOptions(null, null)));
                out.add(new Target(tid, t.adminToken().utf8(), r.connector().connectorId(),
                        "/api/events/ingest/" + tid + "/" + r.connector().connectorId(), r.issued().credential().utf8()));
            }
        }
        return out;
    }

    /** Posts events until the gateway dies; first re-sends the one left unanswered by the previous kill. */
    private static void send(HttpClient http, int port, Target t, int iteration, int sender, String[] pending,
                             Set<String> acknowledged, AtomicInteger answered) {
        int n = 0;
        while (true) {
            String eventId = pending[sender] != null ? pending[sender] : "it" + iteration + "-s" + sender + "-" + n++;
            pending[sender] = eventId;
            byte[] body = Signer.event("reading", eventId);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + t.webhookPath()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            List<String> h = Signer.hmac(t.whsec(), body);
            for (int i = 0; i < h.size(); i += 2) b.header(h.get(i), h.get(i + 1));
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return; // the gateway was killed: this event's fate is unknown, so it is re-sent next time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            answered.incrementAndGet();
            if (r.statusCode() == 202 || r.statusCode() == 200) {
                acknowledged.add(t.tenantId() + "|" + t.connectorId() + "|" + eventId);
                pending[sender] = null;
            } else if (r.statusCode() != 503) {
                throw new AssertionError("unexpected answer " + r.statusCode() + " " + r.body());
            }
        }
    }

    private static Gateway start(Path jar, Path data, String bootstrap) throws IOException {
        long t0 = System.nanoTime();
        Path log = data.resolveSibling("gateway-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "serve", "--data-dir", data.toString(),
                "--http-port", "0", "--https-port", "-1", "--kafka-bootstrap", bootstrap)
                .redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) throw new AssertionError("the gateway exited before listening; see " + log);
        JsonNode listening = Json.tree(line);
        assertThat(listening.get("event").asText()).isEqualTo("listening");
        return new Gateway(p, listening.get("http_port").asInt(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static boolean drained(HttpClient http, int port, Target t) {
        try {
            return outboxDepth(http, port, t) == 0;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("status of the restarted gateway unreadable", e);
        }
    }

    private static long outboxDepth(HttpClient http, int port, Target t) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                .header("Authorization", "Bearer " + t.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.tree(r.body()).at("/gateway/outbox/depth").asLong();
    }

    private static String integrityCheck(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("airotech.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> storedEvents(Path data) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("airotech.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT tenant_id, connector_id, event_id FROM events")) {
            while (rs.next()) out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
