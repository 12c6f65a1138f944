package com.airotech.connect.bench;

import com.airotech.connect.common.Json;
import com.airotech.connect.connection.ConnectionKind;
import com.airotech.connect.connection.NewConnection;
import com.airotech.connect.connection.OutboundRequest;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.testing.Recorder;
import com.airotech.connect.testing.TestGateway;
import java.net.URI;
import java.util.Arrays;

/**
 * What the outbound runtime's checks cost per call, on loopback, sequentially: a connection's call
 * ({@code ConnectionService.send}: the tenant's policy read, the policy-checking resolver, the
 * listener check) against a baseline of the same HTTP client library with the same transport (a new
 * TCP connection per request, no proxy) and no checks, in alternating rounds. Run: {@code java -cp target/airotech-connect.jar:target/test-classes com.airotech.connect.bench.OutboundBench [calls] [rounds]}.
 */
public final class OutboundBench {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (TestGateway gw = TestGateway.start(); Recorder server = Recorder.ok("127.0.0.1")) {
            TestGateway.TenantHandle t = gw.allowLoopback(gw.tenant("bench"));
            Principal p = Principal.local(t.tenantId());
            String id = gw.platform.connections().create(p, new NewConnection("target", ConnectionKind.NONE, server.url(""), Json.object(), "/"))
                    .connection().connectionId();
            org.apache.hc.client5.http.impl.classic.CloseableHttpClient raw = org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                    .setConnectionReuseStrategy((q, r2, x) -> false).disableAutomaticRetries().build();
            URI direct = URI.create(server.url("/x"));
            for (int r = 0; r < rounds; r++) {
                double[] base = time(calls, () -> raw.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(direct), resp -> {
                    org.apache.hc.core5.http.io.entity.EntityUtils.consume(resp.getEntity());
                    return resp.getCode();
                }));
                double[] conn = time(calls, () -> gw.platform.connections().send(p, id, OutboundRequest.get("/x")).status());
                System.out.printf("round %d: baseline (same client, no checks) %.0f calls/s p50 %.2f ms | connection call %.0f calls/s p50 %.2f ms | ratio %.2f%n",
                        r + 1, base[0], base[1], conn[0], conn[1], conn[0] / base[0]);
                server.seen.clear();
            }
        }
    }

    interface Call { int run() throws Exception; }

    /** Calls per second and the median latency in milliseconds of {@code n} sequential calls (after a warm-up of n/10). */
    static double[] time(int n, Call c) throws Exception {
        for (int i = 0; i < n / 10; i++) c.run();
        long[] each = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            if (c.run() != 200) throw new IllegalStateException("not 200");
            each[i] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(each);
        return new double[] {n / seconds, each[n / 2] / 1e6};
    }

    private OutboundBench() {}
}
