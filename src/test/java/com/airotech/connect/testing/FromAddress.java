package com.airotech.connect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal HTTP/1.1 client whose socket is bound to a chosen loopback address (127.0.0.2, …), so a
 * test can play senders on different addresses against one gateway. One request per connection.
 */
public final class FromAddress {
    private final InetAddress local;
    private final int port;

    public FromAddress(String localAddress, int gatewayPort) {
        try {
            this.local = InetAddress.getByName(localAddress);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        this.port = gatewayPort;
    }

    /** The status code and body of one request; {@code headers} alternate name, value. */
    public record Answer(int status, String body) {}

    public Answer post(String path, List<String> headers, String contentType, byte[] body) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
            req.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
            for (int i = 0; i + 1 < headers.size(); i += 2) req.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? "" : text.substring(split + 4));
        } catch (IOException e) {
            throw new IllegalStateException("request from " + local + " failed", e);
        }
    }
}
