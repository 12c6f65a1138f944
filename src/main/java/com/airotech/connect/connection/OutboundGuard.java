package com.airotech.connect.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Where outbound connections may connect, decided at the moment of connecting. Every new
 * connection resolves its host name once, here; each address is checked against the tenant's
 * {@link AddressPolicy} and against this gateway's own listeners, and the HTTP client connects only
 * to the addresses this returned. So a name that answers differently a moment later (DNS
 * rebinding) cannot steer a request past the policy: there is no second lookup. TLS still speaks
 * to the name (SNI and hostname verification), which the client keeps separately.
 */
public final class OutboundGuard {
    /** Name resolution; the system's DNS in production. */
    @FunctionalInterface
    public interface Names {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private static final Names SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private final Supplier<List<InetSocketAddress>> ownListeners;
    private volatile Names names = SYSTEM;

    /** @param ownListeners the gateway's listening sockets (bind address and port) at the moment of asking */
    public OutboundGuard(Supplier<List<InetSocketAddress>> ownListeners) { this.ownListeners = ownListeners; }

    /** A guard that knows of no listener of its own (tools and tests without a gateway). */
    public static OutboundGuard withoutListeners() { return new OutboundGuard(List::of); }

    /** Replaces name resolution (tests play DNS servers that change their answers). */
    void useNames(Names n) { this.names = n == null ? SYSTEM : n; }

    /**
     * Resolves {@code host} once and returns the addresses a connection to {@code port} may use;
     * throws {@link ConnectionFailure} ({@code address_refused}, or {@code unreachable} when the name
     * does not resolve) naming what was refused and how the operator can allow it.
     */
    List<InetSocketAddress> resolve(AddressPolicy policy, String tenantId, String host, int port) {
        String h = AddressPolicy.bare(host);
        List<InetAddress> found;
        try {
            found = names.resolve(h);
        } catch (UnknownHostException e) {
            found = List.of();
        }
        if (found.isEmpty()) {
            throw new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The host name '" + com.airotech.connect.common.Text.sanitize(h, 100)
                    + "' does not resolve. Check the connection's base_url and the site's DNS.");
        }
        List<InetSocketAddress> out = new ArrayList<>(found.size());
        for (InetAddress a : found) {
            policy.refuseUnlessAllowed(h, a, tenantId);
            refuseOwnListener(h, a, port);
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /** The gateway never calls itself through a connection: its metrics, admin API and ingest are not a tenant's target. */
    void refuseOwnListener(String host, InetAddress a, int port) {
        for (InetSocketAddress l : ownListeners.get()) {
            if (l.getPort() != port) continue;
            InetAddress bound = l.getAddress();
            boolean same = bound == null || bound.isAnyLocalAddress() ? isThisHost(a) : bound.equals(a) || (bound.isLoopbackAddress() && a.isLoopbackAddress());
            if (same) {
                throw new ConnectionFailure(ConnectionFailure.ADDRESS_REFUSED, (host.equals(a.getHostAddress()) ? "" : "The host " + host + " resolves to ")
                        + a.getHostAddress() + ":" + port + (host.equals(a.getHostAddress()) ? " is" : ", which is")
                        + " this gateway's own listener; a connection never reaches the gateway itself, whatever the outbound policy allows.");
            }
        }
    }

    /** True for loopback, the unspecified address and any address of this machine's interfaces. */
    static boolean isThisHost(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** The HTTP client's resolver for one tenant: resolves and checks in one step, with the policy in force at that moment. */
    DnsResolver resolverFor(String tenantId, Supplier<AddressPolicy> policy) {
        return new DnsResolver() {
            @Override
            public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
                try {
                    return OutboundGuard.this.resolve(policy.get(), tenantId, host, port);
                } catch (ConnectionFailure f) {
                    throw new Refused(f);
                }
            }

            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                // the client always asks with a port (above); a caller without one still gets only checked addresses
                List<InetSocketAddress> ok = resolve(host, 0);
                return ok.stream().map(InetSocketAddress::getAddress).toArray(InetAddress[]::new);
            }

            @Override
            public String resolveCanonicalHostname(String host) { return host; }
        };
    }

    /** A refusal travelling through the HTTP client as the resolver's exception; carries its {@link ConnectionFailure}. */
    static final class Refused extends UnknownHostException {
        final transient ConnectionFailure failure;

        Refused(ConnectionFailure failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }
}
