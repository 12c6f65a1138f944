package com.airotech.connect.connection;

import java.util.Objects;

/**
 * Why a connection is in its state, as a value: what it waits for (material, consent, a role, a
 * probe) or what a probe found. The service never words a next step for one front end: the HTTP
 * layer, the command line and the console each say how to do it their way ({@code POST …/credential},
 * a command, a button). Stored in {@code status_detail} by {@link DetailCodec}; never carries material.
 */
public sealed interface Detail {
    /** A sentence that needs no next step from any front end (a probe's answer, a refusal with its reason). */
    record Text(String text) implements Detail {
        public Text { Objects.requireNonNull(text); }
    }

    /** A connection of kind none that has not been probed yet. */
    record NeedsProbe() implements Detail {}

    /** No material yet (api_key, basic, mtls). */
    record NeedsMaterial() implements Detail {}

    /** An oauth2 connection with neither client secret nor consent. */
    record NeedsClientSecretAndConsent() implements Detail {}

    /** An oauth2 connection whose client secret is registered, waiting for consent. */
    record NeedsConsent() implements Detail {}

    /** An aws_iam connection waiting for the ARN of the role created with its trust policy. */
    record NeedsRole() implements Detail {}

    /** Consent must be given again; {@code reason} says why (a refused refresh, an expired token). */
    record NeedsConsentAgain(String reason) implements Detail {
        public NeedsConsentAgain { Objects.requireNonNull(reason); }
    }

    /** The system answered the probe with 401/403; {@code what} says which answer ("HTTP 401 from GET /health"). */
    record CredentialRefused(String what) implements Detail {
        public CredentialRefused { Objects.requireNonNull(what); }
    }

    /**
     * The address policy refused a target: {@code refusal} says which address and why; the operator
     * allows {@code allow} (a network) for tenant {@code tenantId} to reach it.
     */
    record TargetRefused(String refusal, String tenantId, String allow) implements Detail {
        public TargetRefused {
            Objects.requireNonNull(refusal);
            Objects.requireNonNull(tenantId);
            Objects.requireNonNull(allow);
        }
    }
}
