package com.airotech.connect.secret;

/**
 * The secret store could not keep or return material. The message names the connection and what
 * the operator can do, never the material.
 */
public final class SecretStoreException extends RuntimeException {
    public SecretStoreException(String message) { super(message, null, false, false); }

    public SecretStoreException(String message, Throwable cause) { super(message, cause, false, false); }
}
