package com.airotech.connect.gateway;

import com.airotech.connect.auth.StandardWebhooks;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark's ceiling: Undertow reading a POST body on the I/O thread and checking its
 * Standard Webhooks HMAC-SHA256 signature, storing nothing. A durable gateway can approach it,
 * never pass it. Usage: {@code BaselineServer WHSEC}; prints {@code {"event":"listening","http_port":N}}.
 */
public final class BaselineServer {
    private static final byte[] OK = "{\"event_id\":\"baseline\",\"received_at\":\"1970-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD = "{\"error\":\"signature_invalid\",\"message\":\"bad signature\"}".getBytes(StandardCharsets.UTF_8);

    private BaselineServer() {}

    public static void main(String[] args) {
        byte[] key = StandardWebhooks.decodeSecret(args[0]);
        ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex -> {
            String id = ex.getRequestHeaders().getFirst(StandardWebhooks.ID);
            String ts = ex.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP);
            String sig = ex.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE);
            ex.getRequestReceiver().receiveFullBytes((e, body) -> {
                Mac mac = macs.get();
                mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
                byte[] expected = mac.doFinal(body);
                boolean ok = sig != null && sig.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(sig.substring(3)));
                e.setStatusCode(ok ? 202 : 401);
                e.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                e.getResponseSender().send(ByteBuffer.wrap(ok ? OK : BAD));
            });
        }).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println("{\"event\":\"listening\",\"http_port\":" + port + "}");
        System.out.flush();
    }
}
