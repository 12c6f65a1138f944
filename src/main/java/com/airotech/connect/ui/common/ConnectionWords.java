package com.airotech.connect.ui.common;

import com.airotech.connect.connection.Connection;
import com.airotech.connect.connection.ConnectionFailure;
import com.airotech.connect.connection.Detail;
import com.airotech.connect.connection.ProbeFailed;

/** The console's wording of what a connection waits for: on these screens each next step is a button. */
public final class ConnectionWords {
    private static final String CONSENT_PAGE = "choose Reconnect… to open the vendor's consent page.";

    private ConnectionWords() {}

    public static String detail(Detail d) {
        if (d == null) return "";
        if (d instanceof Detail.Text t) return t.text();
        if (d instanceof Detail.NeedsProbe) return "Not probed yet: choose Probe.";
        if (d instanceof Detail.NeedsMaterial) return "No credential yet: enter it with Rotate credential…";
        if (d instanceof Detail.NeedsClientSecretAndConsent) return "No consent yet: enter the client secret with Rotate credential…, then " + CONSENT_PAGE;
        if (d instanceof Detail.NeedsConsent) return "Client secret registered; " + CONSENT_PAGE;
        if (d instanceof Detail.NeedsRole) return "No role yet: create the role with the trust policy shown, then enter its ARN with Rotate credential…";
        if (d instanceof Detail.NeedsConsentAgain a) return "Consent must be given again: " + a.reason() + ". C" + CONSENT_PAGE.substring(1);
        if (d instanceof Detail.TargetRefused t) return t.refusal() + " Allow it under Settings, Allowed targets (add " + t.allow() + ").";
        Detail.CredentialRefused r = (Detail.CredentialRefused) d;
        return r.what() + ": the system refused the credential. Enter a correct one with Rotate credential…";
    }

    /** A connection's failures as the console words them; null for any other failure. */
    public static String failure(Throwable e) {
        if (e instanceof ProbeFailed f) {
            return (f.consent() ? "Consent was given, but the probe with the new token failed: "
                    : "The new credential failed its probe, so the previous one stays in force: ") + detail(f.result().detail());
        }
        if (!(e instanceof ConnectionFailure f)) return null;
        Connection c = f.connection();
        if (c != null && ConnectionFailure.REAUTH_REQUIRED.equals(f.code())) {
            return "Connection " + c.name() + " needs consent again (" + detail(f.need()) + ")";
        }
        if (c != null) return "Connection " + c.name() + " has no credential yet: enter it with Rotate credential…";
        return f.need() != null ? detail(f.need()) : f.getMessage();
    }
}
