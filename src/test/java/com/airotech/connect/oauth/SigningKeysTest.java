package com.airotech.connect.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.secret.MasterKey;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    @TempDir Path tmp;

    @Test
    void theSigningKeyIsCreatedOnceAndKeptSealed() throws Exception {
        DataDirectory dir = DataDirectory.open(tmp.resolve("d"));
        MasterKey mk = MasterKey.loadOrCreate(dir);
        ManualClock clock = ManualClock.startingNow();
        SigningKeys first = SigningKeys.loadOrCreate(dir, mk, clock);
        SigningKeys again = SigningKeys.loadOrCreate(dir, mk, clock);
        assertThat(again.publishedKids()).isEqualTo(first.publishedKids()).hasSize(1);
        String file = Files.readString(dir.resolve(SigningKeys.FILE));
        assertThat(file).doesNotContain("\"d\"").doesNotContain("\"p\"");
        assertThat(first.jwksJson()).doesNotContain("\"d\"");
        assertThat(Files.getPosixFilePermissions(dir.resolve(SigningKeys.FILE))).isEqualTo(DataDirectory.FILE_MODE);
    }

    @Test
    void aRotationKeepsTheOldPublicKeyUntilItsLastTokenHasExpired() {
        DataDirectory dir = DataDirectory.open(tmp.resolve("d"));
        MasterKey mk = MasterKey.loadOrCreate(dir);
        ManualClock clock = ManualClock.startingNow();
        SigningKeys keys = SigningKeys.loadOrCreate(dir, mk, clock);
        String old = keys.publishedKids().get(0);
        Instant rotatedAt = clock.instant();
        String fresh = keys.rotate(TokenService.LIFETIME.plus(TokenService.SKEW));
        assertThat(keys.publishedKids()).containsExactlyInAnyOrder(old, fresh);
        assertThat(keys.current().getKeyID()).isEqualTo(fresh);

        // a token signed just before the rotation is valid until rotatedAt + 300 s, + 60 s of skew
        clock.set(rotatedAt.plus(Duration.ofSeconds(360)).minusMillis(1));
        assertThat(keys.publicKey(old, clock.instant())).isNotNull();
        assertThat(SigningKeys.loadOrCreate(dir, mk, clock).publishedKids()).contains(old);
        clock.set(rotatedAt.plus(Duration.ofSeconds(360)));
        assertThat(keys.publicKey(old, clock.instant())).isNull();
        assertThat(keys.publishedKids()).containsExactly(fresh);
        assertThat(keys.jwksJson()).doesNotContain(old).contains(fresh);
    }
}
