package com.airotech.connect.connection;

/**
 * A {@link Detail} as a plain sentence that names no front end's step: for logs, for the audit, and
 * for messages of exceptions that no front end words itself. The HTTP API, the command line and the
 * console each word details with their own next steps.
 */
public final class Wording {
    private Wording() {}

    /**
     * A refused target names the command that allows it even here: deliveries and logs show it to
     * whoever operates the site, and the command is the one way that works from any front end.
     */
    public static String targetRefused(Detail.TargetRefused t) {
        return t.refusal() + " The operator can allow it with: airotech-connect connections policy --tenant " + t.tenantId() + " --allow " + t.allow();
    }

    public static String plain(Detail d) {
        if (d == null) return "";
        if (d instanceof Detail.Text t) return t.text();
        if (d instanceof Detail.NeedsProbe) return "Not probed yet.";
        if (d instanceof Detail.NeedsMaterial) return "No credential yet.";
        if (d instanceof Detail.NeedsClientSecretAndConsent) return "No consent yet: register the client secret, then give consent.";
        if (d instanceof Detail.NeedsConsent) return "Client secret registered; give consent.";
        if (d instanceof Detail.NeedsRole) return "No role yet: create the role with the trust policy shown, then enter its ARN.";
        if (d instanceof Detail.NeedsConsentAgain a) return "Consent must be given again: " + a.reason() + ".";
        if (d instanceof Detail.TargetRefused t) return targetRefused(t);
        Detail.CredentialRefused r = (Detail.CredentialRefused) d;
        return r.what() + ": the system refused the credential.";
    }
}
