package com.airotech.connect.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airotech.connect.common.Crypto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
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
