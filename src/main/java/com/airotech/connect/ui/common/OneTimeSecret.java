package com.airotech.connect.ui.common;

import com.airotech.connect.common.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the show-once dialog presents, once: facts (connector id, URL), and as the method needs it a
 * one-line secret (a signing secret, an API key, a password), a multi-line secret to copy or save
 * (a generated private key), a file only saved, never shown (a PKCS#12 bundle), a public text to
 * save (a signed certificate), the SHA-256 the gateway keeps, and the example built from the
 * secret on display. Every {@link Secret} here is wiped when the dialog closes.
 */
public final class OneTimeSecret {
    /** A secret to save to a file: its name on screen, the material, the file name offered. */
    record SavedSecret(String name, Secret value, String fileName, boolean base64) {
        @Override public String toString() { return "SavedSecret[" + name + "]"; }
    }

    final String heading;
    final String intro;
    final String secretName;
    final Secret secret;
    final String sha256;
    final List<Map.Entry<String, String>> facts;
    final Function<String, String> example;
    String shaLabel = "SHA-256 (what the gateway keeps, to check the copy you stored)";
    String confirmText = "I have stored it where it is needed; it will not be shown again";
    /** What the example is (a sender's first event, by default; a receiver for a delivery's signing secret). */
    String exampleTitle = "Try it: send one event";
    /** A multi-line secret shown in a text area (a private key PEM), with a save button. */
    SavedSecret block;
    /** Bytes (held as base64) only saved to a file, never shown (a PKCS#12 bundle); Done waits for the save. */
    SavedSecret bundle;
    /** Public text shown with a save button (a certificate signed from a CSR). */
    String publicName;
    String publicText;
    String publicFileName;

    /**
     * @param secret  the one-line secret, or null when the method hands over none (a key pair the
     *                sender made, a signed CSR); {@code example} then receives null
     */
    public OneTimeSecret(String heading, String intro, String secretName, Secret secret, String sha256,
                  List<Map.Entry<String, String>> facts, Function<String, String> example) {
        this.heading = heading;
        this.intro = intro;
        this.secretName = secretName;
        this.secret = secret;
        this.sha256 = sha256;
        this.facts = new ArrayList<>(facts);
        this.example = example;
    }

    public OneTimeSecret shaLabel(String label) { this.shaLabel = label; return this; }

    public OneTimeSecret confirm(String text) { this.confirmText = text; return this; }

    public OneTimeSecret exampleTitle(String text) { this.exampleTitle = text; return this; }

    public OneTimeSecret block(String name, Secret value, String fileName) { this.block = new SavedSecret(name, value, fileName, false); return this; }

    public OneTimeSecret bundle(String name, Secret base64Value, String fileName) { this.bundle = new SavedSecret(name, base64Value, fileName, true); return this; }

    public OneTimeSecret publicText(String name, String text, String fileName) {
        this.publicName = name;
        this.publicText = text;
        this.publicFileName = fileName;
        return this;
    }

    /** Wipes every secret held. */
    void destroy() {
        if (secret != null) secret.destroy();
        if (block != null) block.value().destroy();
        if (bundle != null) bundle.value().destroy();
    }

    @Override public String toString() { return "OneTimeSecret[" + heading + "]"; }
}
