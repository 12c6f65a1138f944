package com.airotech.connect.connection;

import java.util.Objects;

/** What a probe found: a status and why (never material); each front end words the {@link Detail}. */
public record ProbeResult(ConnectionStatus status, Detail detail) {
    public ProbeResult {
        Objects.requireNonNull(status);
        Objects.requireNonNull(detail);
    }

    public boolean healthy() { return status == ConnectionStatus.HEALTHY; }

    /**
     * The probe's answer on the wire: {@code healthy}, {@code unhealthy} or {@code reauth_required}.
     * A connection still waiting for material or consent could not be probed, which is
     * {@code unhealthy} with the detail saying what it waits for (its status stays {@code pending}).
     */
    public String probeWire() {
        return status == ConnectionStatus.PENDING ? ConnectionStatus.UNHEALTHY.wire() : status.wire();
    }

    static ProbeResult healthy(String detail) { return new ProbeResult(ConnectionStatus.HEALTHY, new Detail.Text(detail)); }

    static ProbeResult unhealthy(String detail) { return unhealthy(new Detail.Text(detail)); }

    static ProbeResult unhealthy(Detail detail) { return new ProbeResult(ConnectionStatus.UNHEALTHY, detail); }
}
