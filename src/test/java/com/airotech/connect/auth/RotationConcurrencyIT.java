package com.airotech.connect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.pki.Pem;
import com.airotech.connect.testing.Await;
import com.airotech.connect.testing.Senders;
import com.airotech.connect.testing.Signer;
import com.airotech.connect.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight threads send while the connector is rotated again and again. Each sender uses the newest
 * credential it has been given; a rotation that would end a credential still in a sender's hands
 * waits until that sender is done (that is the rule "a second rotation inside the window ends the
 * oldest at once", not a race). No request may then be refused: verification never races a rotation.
 */
class RotationConcurrencyIT {
    private static final int THREADS = 8;
    private static final int ROTATIONS = 10;
    private static final int REQUESTS_BETWEEN_ROTATIONS = 24;

    private static TestGateway g;
    private static TestGateway.TenantHandle acme;

    @BeforeAll
    static void start() {
        g = TestGateway.start();
        acme = g.tenant("acme");
    }

    @AfterAll
    static void stop() { g.close(); }

    /** One generation of credential material, as a sender holds it. */
    record Generation(int index, JsonNode material) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hmac", "api_key", "basic", "rsa", "oauth2"})
    void sendersSeeNoSpurious401WhileTheConnectorIsRotated(String method) throws Exception {
        List<KeyPair> rsaKeys = new ArrayList<>();
        if (method.equals("rsa")) for (int i = 0; i <= ROTATIONS; i++) rsaKeys.add(Senders.rsaKeyPair(2048));
        JsonNode c = g.register(acme, method, method.equals("rsa") ? "\"public_key_pem\":" + quoted(Pem.write(rsaKeys.get(0).getPublic())) : null);
        String id = c.get("connector_id").asText();
        AtomicReference<Generation> current = new AtomicReference<>(new Generation(0, material(method, c, rsaKeys, 0)));
        AtomicIntegerArray inFlight = new AtomicIntegerArray(ROTATIONS + 1);
        AtomicInteger completed = new AtomicInteger();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Boolean> rotating = new AtomicReference<>(true);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            senders.add(pool.submit(() -> {
                int afterRotations = 0;
                while (rotating.get() || afterRotations++ < 5) {
                    Generation gen;
                    while (true) {
                        gen = current.get();
                        inFlight.incrementAndGet(gen.index());
                        if (current.get() == gen) break;
                        inFlight.decrementAndGet(gen.index());
                    }
                    try {
                        TestGateway.Response r;
                        do {
                            // 503 is the gateway shedding load on a busy machine (nothing stored, Retry-After):
                            // a sender sends again, as the contract asks; only authentication answers matter here
                            byte[] body = Signer.event("door_open", null);
                            r = g.ingest(c.get("webhook_path").asText(), body, EveryMethodLifecycleIT.headersFor(g, method, id, gen.material(), body));
                        } while (r.status() == 503 && r.json().path("error").asText().equals("unavailable"));
                        statuses.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
                        if (r.status() != 202) refusals.add("gen " + gen.index() + ": " + r.status() + " " + r.raw());
                    } finally {
                        inFlight.decrementAndGet(gen.index());
                        completed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            for (int k = 1; k <= ROTATIONS; k++) {
                awaitAtLeast(completed, k * REQUESTS_BETWEEN_ROTATIONS);
                // rotation k ends generation k-2 at once: no sender may still hold it
                if (k >= 2) awaitZero(inFlight, k - 2);
                String body = method.equals("rsa") ? "{\"public_key_pem\":" + quoted(Pem.write(rsaKeys.get(k).getPublic())) + "}" : "{}";
                TestGateway.Response rot = g.postJson(acme.token(), "/api/connectors/" + id + "/rotate", body);
                assertThat(rot.status()).isEqualTo(200);
                current.set(new Generation(k, material(method, rot.json(), rsaKeys, k)));
            }
        } finally {
            rotating.set(false);
        }
        for (Future<?> f : senders) f.get(120, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(refusals).isEmpty();
        assertThat(statuses.keySet()).containsExactly(202);
        assertThat(completed.get()).isGreaterThanOrEqualTo(ROTATIONS * REQUESTS_BETWEEN_ROTATIONS);
    }

    /** What a sender needs of an answer: for rsa the private key, for oauth2 a token minted right after the rotation. */
    private static JsonNode material(String method, JsonNode answer, List<KeyPair> rsaKeys, int k) {
        ObjectNode m = answer.deepCopy();
        if (method.equals("rsa")) m.put("private_key_pem", Pem.privateKeyPkcs8(rsaKeys.get(k).getPrivate()));
        return m;
    }

    private static String quoted(String s) { return com.airotech.connect.common.Json.write(s); }

    private static void awaitAtLeast(AtomicInteger counter, int target) {
        Await.until("senders reaching " + target + " requests", () -> counter.get() >= target, Duration.ofSeconds(60));
    }

    private static void awaitZero(AtomicIntegerArray inFlight, int index) {
        Await.until("generation " + index + " no longer in flight", () -> inFlight.get(index) == 0, Duration.ofSeconds(60));
    }
}
