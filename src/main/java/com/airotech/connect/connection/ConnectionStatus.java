package com.airotech.connect.connection;

/** A connection's state: pending (no material or consent yet), healthy, unhealthy (last probe failed), reauth_required. */
public enum ConnectionStatus {
    PENDING("pending"), HEALTHY("healthy"), UNHEALTHY("unhealthy"), REAUTH_REQUIRED("reauth_required");

    private final String wire;

    ConnectionStatus(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static ConnectionStatus fromWire(String s) {
        for (ConnectionStatus c : values()) if (c.wire.equals(s)) return c;
        throw new IllegalArgumentException("unknown status " + s);
    }
}
