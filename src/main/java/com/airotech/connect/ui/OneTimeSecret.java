package com.airotech.connect.ui;

import com.airotech.connect.common.Secret;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A credential to show once: the secret (in a {@link Secret}, wiped when the dialog closes), its
 * SHA-256, facts to show beside it (connector id, URL), and the example built from it on display.
 */
final class OneTimeSecret {
    final String heading;
    final String intro;
    final String secretName;
    final Secret secret;
    final String sha256;
    final List<Map.Entry<String, String>> facts;
    final Function<String, String> example;

    OneTimeSecret(String heading, String intro, String secretName, Secret secret, String sha256,
                  List<Map.Entry<String, String>> facts, Function<String, String> example) {
        this.heading = heading;
        this.intro = intro;
        this.secretName = secretName;
        this.secret = secret;
        this.sha256 = sha256;
        this.facts = List.copyOf(facts);
        this.example = example;
    }

    @Override public String toString() { return "OneTimeSecret[" + heading + "]"; }
}
