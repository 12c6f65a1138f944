package com.airotech.connect.connection;

import java.util.Objects;

/** What a probe found: a status and a sentence for the operator (never material). */
public record ProbeResult(ConnectionStatus status, String detail) {
    public ProbeResult {
        Objects.requireNonNull(status);
        Objects.requireNonNull(detail);
    }

    public boolean healthy() { return status == ConnectionStatus.HEALTHY; }

    static ProbeResult healthy(String detail) { return new ProbeResult(ConnectionStatus.HEALTHY, detail); }

    static ProbeResult unhealthy(String detail) { return new ProbeResult(ConnectionStatus.UNHEALTHY, detail); }
}
