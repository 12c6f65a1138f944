package com.airotech.connect.oauth;

import com.airotech.connect.common.Crypto;
import com.airotech.connect.common.Json;
import com.airotech.connect.secret.SealedValueException;
import com.airotech.connect.secret.Sealer;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's token signing keys (RSA 2048, RS256), created on first start. The file
 * {@code oauth-signing-keys.json} (0600) holds each key's public JWK in clear and its private JWK
 * sealed under the master key. One key signs; after a rotation the previous key stays published
 * (and accepted) until the last token it can have signed has expired, skew included.
 */
public final class SigningKeys {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final String FILE = "oauth-signing-keys.json";

    /** One key: {@code retireAt} null while it signs, else the instant it leaves the key set. */
    record Key(String kid, RSAKey jwk, Instant createdAt, Instant retireAt) {
        boolean publishedAt(Instant now) { return retireAt == null || now.isBefore(retireAt); }

        @Override public String toString() { return "SigningKey[" + kid + ", retireAt=" + retireAt + "]"; }
    }

    private final Path file;
    private final Sealer sealer;
    private final Clock clock;
    private volatile List<Key> keys;

    private SigningKeys(Path file, Sealer sealer, Clock clock, List<Key> keys) {
        this.file = file;
        this.sealer = sealer;
        this.clock = clock;
        this.keys = List.copyOf(keys);
    }

    public static SigningKeys loadOrCreate(DataDirectory dir, Sealer sealer, Clock clock) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                try (FileChannel ch = FileChannel.open(dir.resolve(FILE + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    if (!Files.exists(file)) {
                        if (dir.holdsDatabase()) {
                            throw new StorageException("The token signing keys " + file + " are missing, beside an existing database. A new key"
                                    + " would refuse every access token issued so far until it expires. Restore them: airotech-connect restore"
                                    + " --from BACKUP --data-dir NEW_DIR restores a whole site; or copy " + FILE + " back from the backup this"
                                    + " database came from (with its master.key).");
                        }
                        SigningKeys fresh = new SigningKeys(file, sealer, clock, List.of(newKey(clock.instant())));
                        fresh.save();
                        log.info("token signing key created");
                    }
                }
            }
            DataDirectory.requireMode(file, DataDirectory.FILE_MODE, "chmod 600 " + file);
            return new SigningKeys(file, sealer, clock, read(file, sealer));
        } catch (IOException e) {
            throw new StorageException("Cannot read the token signing keys " + file + " (" + e.getClass().getSimpleName()
                    + "). Check the data directory's permissions, or restore the file from backup.");
        }
    }

    private static Key newKey(Instant now) {
        try {
            String kid = Crypto.newId("sk");
            RSAKey jwk = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
            return new Key(kid, jwk, now, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
    }

    private static String ad(String kid) { return "oauth-signing-key\n" + kid; }

    private static List<Key> read(Path file, Sealer sealer) throws IOException {
        JsonNode root = Json.tree(Files.readString(file));
        List<Key> out = new ArrayList<>();
        for (JsonNode k : root.path("keys")) {
            String kid = k.path("kid").asText();
            try {
                byte[] priv = sealer.open(Base64.getDecoder().decode(k.path("sealed_private_jwk").asText()), ad(kid));
                RSAKey jwk = RSAKey.parse(new String(priv, StandardCharsets.UTF_8));
                java.util.Arrays.fill(priv, (byte) 0);
                if (!kid.equals(jwk.getKeyID())) throw new ParseException("kid mismatch", 0);
                Instant retire = k.hasNonNull("retire_at") ? Instant.ofEpochMilli(k.get("retire_at").asLong()) : null;
                out.add(new Key(kid, jwk, Instant.ofEpochMilli(k.path("created_at").asLong()), retire));
            } catch (SealedValueException | ParseException | IllegalArgumentException e) {
                throw new StorageException("The token signing key " + kid + " in " + file + " does not open with this data directory's "
                        + "master key. Restore " + FILE + " and master.key from the same backup.");
            }
        }
        if (out.stream().noneMatch(k -> k.retireAt() == null)) {
            throw new StorageException("The token signing keys " + file + " hold no current key. Restore the file from backup.");
        }
        return out;
    }

    private void save() throws IOException {
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("keys");
        for (Key k : keys) {
            ObjectNode o = arr.addObject().put("kid", k.kid()).put("created_at", k.createdAt().toEpochMilli());
            if (k.retireAt() == null) o.putNull("retire_at"); else o.put("retire_at", k.retireAt().toEpochMilli());
            o.set("public_jwk", Json.tree(k.jwk().toPublicJWK().toJSONString()));
            byte[] priv = k.jwk().toJSONString().getBytes(StandardCharsets.UTF_8);
            o.put("sealed_private_jwk", Base64.getEncoder().encodeToString(sealer.seal(priv, ad(k.kid()))));
            java.util.Arrays.fill(priv, (byte) 0);
        }
        DataDirectory.writeKeyFile(file, Json.writeBytes(root));
    }

    /** Re-reads the file and writes it back sealed under the master key's current key (after a master key rotation). */
    public synchronized void reseal() {
        try {
            keys = List.copyOf(read(file, sealer));
            save();
        } catch (IOException e) {
            throw new StorageException("Cannot re-seal the token signing keys " + file + " (" + e.getClass().getSimpleName()
                    + "); every key still opens. Fix the data directory and run `airotech-connect keys rotate` again.");
        }
    }

    /** The key that signs new tokens. */
    RSAKey current() {
        for (Key k : keys) if (k.retireAt() == null) return k.jwk();
        throw new IllegalStateException("no current signing key");
    }

    /** The public key for a {@code kid}, while that key is published; null otherwise. */
    public RSAPublicKey publicKey(String kid, Instant now) {
        if (kid == null) return null;
        for (Key k : keys) {
            if (k.kid().equals(kid) && k.publishedAt(now)) {
                try {
                    return k.jwk().toRSAPublicKey();
                } catch (JOSEException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The public JWK set ({@code GET /.well-known/jwks.json}). */
    public String jwksJson() {
        Instant now = clock.instant();
        List<JWK> pub = new ArrayList<>();
        for (Key k : keys) if (k.publishedAt(now)) pub.add(k.jwk().toPublicJWK());
        return new JWKSet(pub).toString(true);
    }

    /** The kids currently published (for tests and status views). */
    public List<String> publishedKids() {
        Instant now = clock.instant();
        return keys.stream().filter(k -> k.publishedAt(now)).map(Key::kid).toList();
    }

    /**
     * Makes a new key the signing key. The previous key stays published until every token it
     * signed has expired ({@code keepOldFor}: token lifetime plus allowed skew); keys past their
     * time are dropped. Returns the new kid.
     */
    public synchronized String rotate(Duration keepOldFor) {
        Instant now = clock.instant();
        Key fresh = newKey(now);
        List<Key> next = new ArrayList<>();
        for (Key k : keys) {
            if (k.retireAt() == null) next.add(new Key(k.kid(), k.jwk(), k.createdAt(), now.plus(keepOldFor)));
            else if (k.publishedAt(now)) next.add(k);
        }
        next.add(fresh);
        List<Key> before = keys;
        keys = List.copyOf(next);
        try {
            save();
        } catch (IOException e) {
            keys = before;
            throw new StorageException("Cannot write the token signing keys " + file + " (" + e.getClass().getSimpleName()
                    + "); the previous key still signs. Check the disk and retry.");
        }
        log.info("token signing key rotated: {} signs now", fresh.kid());
        return fresh.kid();
    }

    @Override public String toString() { return "SigningKeys[" + keys.size() + " keys]"; }
}
