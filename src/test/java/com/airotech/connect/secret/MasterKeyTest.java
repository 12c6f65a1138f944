package com.airotech.connect.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.StorageException;
import com.airotech.connect.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import com.airotech.connect.common.Crypto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
    @Test
    void sealedValueOpensOnlyForItsOwnOwner() {
        MasterKey key = MasterKey.loadOrCreate(DataDirectory.open(TestGateway.tempDir().resolve("d")));
        byte[] sealed = key.seal("top secret".getBytes(StandardCharsets.UTF_8), "tenant-a/connector-1");
        assertThat(new String(key.open(sealed, "tenant-a/connector-1"), StandardCharsets.UTF_8)).isEqualTo("top secret");
        assertThatThrownBy(() -> key.open(sealed, "tenant-b/connector-1")).isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> key.open(sealed, "tenant-a/connector-2")).isInstanceOf(SealedValueException.class);
    }

    @Test
    void aTamperedSealedValueDoesNotOpen() {
        MasterKey key = MasterKey.loadOrCreate(DataDirectory.open(TestGateway.tempDir().resolve("d")));
        byte[] sealed = key.seal(new byte[] {1, 2, 3}, "owner");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> key.open(sealed, "owner")).isInstanceOf(SealedValueException.class);
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndReusedOnTheNextStart() throws Exception {
        Path dir = TestGateway.tempDir().resolve("d");
        MasterKey first = MasterKey.loadOrCreate(DataDirectory.open(dir));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        byte[] sealed = first.seal(new byte[] {42}, "o");
        MasterKey second = MasterKey.loadOrCreate(DataDirectory.open(dir));
        assertThat(second.open(sealed, "o")).containsExactly(42);
        assertThat(second.toString()).doesNotContain("[B").contains("***");
    }

    @Test
    void aKeyFileReadableByOthersIsRefusedWithTheFix() throws Exception {
        Path dir = TestGateway.tempDir().resolve("d");
        MasterKey.loadOrCreate(DataDirectory.open(dir));
        Files.setPosixFilePermissions(dir.resolve("master.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKey.loadOrCreate(DataDirectory.open(dir)))
                .isInstanceOf(StorageException.class).hasMessageContaining("chmod 600");
    }

    @Test
    void aDataDirectoryOpenToOthersIsRefusedWithTheFix() throws Exception {
        Path dir = TestGateway.tempDir().resolve("d");
        DataDirectory.open(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> DataDirectory.open(dir)).isInstanceOf(StorageException.class).hasMessageContaining("chmod 700");
    }

    @Test
    void aSealedValueNamesItsKeyAndOpensOnlyForItsOwner() {
        byte[] raw = Crypto.randomBytes(32);
        MasterKey k = new MasterKey(raw);
        byte[] sealed = k.seal("material".getBytes(StandardCharsets.UTF_8), "owner-a");
        assertThat(MasterKey.keyIdOf(sealed)).isEqualTo(MasterKey.idOf(raw)).isEqualTo(k.currentKeyId()).hasSize(16);
        assertThat(new String(k.open(sealed, "owner-a"), StandardCharsets.UTF_8)).isEqualTo("material");
        assertThatThrownBy(() -> k.open(sealed, "owner-b")).isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> new MasterKey(Crypto.randomBytes(32)).open(sealed, "owner-a")).isInstanceOf(SealedValueException.class)
                .hasMessageContaining("does not hold");
        assertThat(k.needsReseal(sealed)).isFalse();
    }

    @Test
    void valuesOfTheFirstFormatStillOpenAndAreMarkedForResealing() throws Exception {
        byte[] raw = Crypto.randomBytes(32);
        byte[] nonce = Crypto.randomBytes(12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD("owner".getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal("old".getBytes(StandardCharsets.UTF_8));
        byte[] legacy = ByteBuffer.allocate(13 + ct.length).put((byte) 1).put(nonce).put(ct).array();
        MasterKey k = new MasterKey(raw);
        assertThat(new String(k.open(legacy, "owner"), StandardCharsets.UTF_8)).isEqualTo("old");
        assertThat(k.needsReseal(legacy)).isTrue();
    }

    @Test
    void itsStringNeverShowsTheKey() {
        assertThat(new MasterKey(Crypto.randomBytes(32)).toString()).isEqualTo("MasterKey[***]");
    }
}
