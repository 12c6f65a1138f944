package com.airotech.connect.connection;

import com.airotech.connect.common.Secret;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * One version of a connection's material opened for use, with the HTTP client that goes with it
 * (its own TLS context for mtls and per-connection CAs). A call takes the instance in force when
 * it starts and keeps it to the end, so a rotation committed meanwhile never changes the
 * credential under a request in flight.
 */
final class Active {
    final int version;
    final Material material;
    final CloseableHttpClient client;

    private Active(int version, Material material, CloseableHttpClient client) {
        this.version = version;
        this.material = material;
        this.client = client;
    }

    /** @param dns the tenant's resolver: resolves and checks every address a connection of this client goes to */
    static Active none(Connection c, DnsResolver dns) {
        return new Active(0, new NoneKind.Nothing(), Tls.client(c.config().common().caPem(), null, dns));
    }

    static Active open(Connection c, int version, Material material, DnsResolver dns) {
        return new Active(version, material, Tls.client(c.config().common().caPem(), c.kind().spec().keys(material), dns));
    }

    /** The injector for this material; an oauth2 call passes the access token it obtained. */
    Injector injector(Connection c, Secret bearer) { return c.kind().spec().injector(c.config(), material, bearer); }

    /** The material of an oauth2 connection. */
    OAuth2Kind.Grant grant() {
        if (material instanceof OAuth2Kind.Grant g) return g;
        throw new IllegalStateException("not oauth2 material");
    }

    /** The material of an aws_iam connection. */
    AwsIamKind.Role role() {
        if (material instanceof AwsIamKind.Role r) return r;
        throw new IllegalStateException("not aws_iam material");
    }
}
