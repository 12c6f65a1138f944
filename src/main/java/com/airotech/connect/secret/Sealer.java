package com.airotech.connect.secret;

/** Authenticated encryption of material the platform must read back, bound to its owner. */
public interface Sealer {
    byte[] seal(byte[] plaintext, String associatedData);

    /** @throws SealedValueException when the value was tampered with or belongs to another owner */
    byte[] open(byte[] sealed, String associatedData);
}
