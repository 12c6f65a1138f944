package com.airotech.connect.connection;

import com.airotech.connect.common.ApiException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import com.airotech.connect.common.Text;

/**
 * Which addresses a tenant's connections may reach. Building gateways live on private networks,
 * so reaching one is the operator's decision: a list of networks ({@code 10.20.0.0/16},
 * {@code fd00::/8}, a single address) and host names ({@code bms.site.local}, {@code *.site.local}).
 * The default allows nothing: the operator allows each site network or name explicitly. A URL is
 * checked after DNS resolution: every address the name resolves to must lie in an allowed network,
 * or the name itself must be allowed, and then still not resolve to a special address (loopback,
 * link-local, unique-local, CGNAT, multicast, unspecified: this host's services, a cloud metadata
 * service) unless a network rule names it. The connection runtime connects to exactly the addresses
 * checked ({@link OutboundGuard}); the gateway's own listeners are refused whatever the rules say.
 */
public record AddressPolicy(List<String> rules) {
    /** Nothing: a new tenant's connections reach no address until the operator allows one. */
    public static final List<String> DEFAULT_RULES = List.of();
    private static final Pattern HOST = Pattern.compile("^(\\*\\.)?[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*$");
    /**
     * Reached behind an allowed name only when a network rule names them: loopback, "this network",
     * CGNAT (shared address space), link-local, unique-local (the IPv6 metadata address fd00:ec2::254
     * among them), NAT64 and 6to4 (which embed any IPv4 address), broadcast.
     */
    private static final List<Network> SPECIAL = List.of(parseNetwork("0.0.0.0/8"), parseNetwork("127.0.0.0/8"), parseNetwork("100.64.0.0/10"),
            parseNetwork("169.254.0.0/16"), parseNetwork("255.255.255.255/32"), parseNetwork("::1/128"), parseNetwork("::/128"),
            parseNetwork("fc00::/7"), parseNetwork("fe80::/10"), parseNetwork("64:ff9b::/96"), parseNetwork("2002::/16"));

    public AddressPolicy {
        rules = List.copyOf(rules);
        for (String r : rules) validateRule(r);
    }

    public static AddressPolicy defaults() { return new AddressPolicy(DEFAULT_RULES); }

    /** Checks one rule's syntax; the message names the rule. */
    public static String validateRule(String rule) {
        if (rule == null || rule.isBlank() || rule.length() > 255) throw ApiException.invalidRequest("An allowed target must be a network (10.0.0.0/8), an address or a host name.");
        String r = rule.strip().toLowerCase(Locale.ROOT);
        if (looksLikeAddress(r)) {
            parseNetwork(r);
            return r;
        }
        if (!HOST.matcher(r).matches()) {
            throw ApiException.invalidRequest("'" + com.airotech.connect.common.Text.sanitize(rule, 80)
                    + "' is neither a network (10.0.0.0/8, fd00::/8), an address, nor a host name (bms.site.local, *.site.local).");
        }
        return r;
    }

    private static boolean looksLikeAddress(String r) {
        return r.contains(":") || r.contains("/") || r.matches("^[0-9.]+$");
    }

    /** A network: address bytes and prefix length. */
    private record Network(byte[] address, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != address.length) return false;
            int full = prefix / 8, rest = prefix % 8;
            for (int i = 0; i < full; i++) if (b[i] != address[i]) return false;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (address[full] & mask);
        }
    }

    private static Network parseNetwork(String r) {
        String addr = r;
        int prefix = -1;
        int slash = r.indexOf('/');
        if (slash >= 0) {
            addr = r.substring(0, slash);
            try {
                prefix = Integer.parseInt(r.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw ApiException.invalidRequest("'" + r + "' has no valid prefix length after '/'.");
            }
        }
        if (addr.startsWith("[") && addr.endsWith("]")) addr = addr.substring(1, addr.length() - 1);
        if (!addr.matches("^[0-9a-f:.]+$") || (!addr.contains(":") && !addr.matches("^\\d{1,3}(\\.\\d{1,3}){3}$"))) {
            throw ApiException.invalidRequest("'" + r + "' is not an IPv4 or IPv6 address or network.");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw ApiException.invalidRequest("'" + r + "' is not an IPv4 or IPv6 address or network.");
        }
        int max = bytes.length * 8;
        if (prefix < 0) prefix = max;
        if (prefix > max) throw ApiException.invalidRequest("'" + r + "' has a prefix longer than " + max + " bits.");
        return new Network(bytes, prefix);
    }

    /** Checks a URL with the system's DNS: allowed, or a refusal that explains itself. */
    public void check(URI uri, String tenantId) {
        check(uri, tenantId, host -> {
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw new ConnectionFailure(ConnectionFailure.UNREACHABLE, "The host name '" + host + "' does not resolve. Check the connection's base_url and the site's DNS.");
            }
        });
    }

    void check(URI uri, String tenantId, Function<String, List<InetAddress>> resolver) {
        String h = host(uri);
        for (InetAddress a : resolver.apply(h)) refuseUnlessAllowed(h, a, tenantId);
    }

    /** The URL's host in lower case, without IPv6 brackets; refuses schemes other than http and https. */
    static String host(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConnectionFailure(ConnectionFailure.ADDRESS_REFUSED, "Only http and https URLs can be reached, not '" + Text.sanitize(scheme, 32) + "'.");
        }
        String host = uri.getHost();
        if (host == null) throw new ConnectionFailure(ConnectionFailure.ADDRESS_REFUSED, "The URL has no host.");
        return bare(host);
    }

    static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Throws {@code address_refused} unless {@code a}, which {@code host} resolved to, may be reached. */
    void refuseUnlessAllowed(String host, InetAddress a, String tenantId) {
        String h = bare(host);
        boolean hostAllowed = false;
        for (String r : rules) {
            String rule = r.strip().toLowerCase(Locale.ROOT);
            if (looksLikeAddress(rule)) {
                if (parseNetwork(rule).contains(a)) return;
            } else if (rule.startsWith("*.") ? h.endsWith(rule.substring(1)) : h.equals(rule)) {
                hostAllowed = true;
            }
        }
        boolean special = a.isMulticastAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isLoopbackAddress()
                || SPECIAL.stream().anyMatch(n -> n.contains(a));
        if (hostAllowed && !special) return;
        String how = h.equals(a.getHostAddress()) || h.equals(bare(a.getHostAddress())) ? "The address " + a.getHostAddress()
                : "The host " + Text.sanitize(h, 100) + " resolves to " + a.getHostAddress() + ", which";
        String why;
        if (hostAllowed) {
            why = " is a special address (loopback, link-local, unique-local, shared CGNAT, multicast or unspecified); such addresses are "
                    + "reached only when a network rule names them, never through a host name rule.";
        } else if (rules.isEmpty()) {
            why = " cannot be reached: this tenant's outbound policy allows no targets yet.";
        } else {
            why = " is not in this tenant's allowed networks and hosts " + rules + ".";
        }
        throw ConnectionFailure.targetRefused(new Detail.TargetRefused(how + why, tenantId, suggestion(a)));
    }

    private static String suggestion(InetAddress a) {
        return a.getHostAddress() + (a.getAddress().length == 4 ? "/32" : "/128");
    }

    /** The rules without one, or with one more (normalised, without duplicates). */
    public AddressPolicy with(String rule) {
        String r = validateRule(rule);
        List<String> out = new ArrayList<>(rules);
        if (!out.contains(r)) out.add(r);
        return new AddressPolicy(out);
    }

    public AddressPolicy without(String rule) {
        String r = rule == null ? "" : rule.strip().toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>(rules);
        out.remove(r);
        return new AddressPolicy(out);
    }

}
