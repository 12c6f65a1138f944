package com.airotech.connect.secret;

/** A sealed value that does not open: tampered, moved to another owner, or sealed under another key. */
public final class SealedValueException extends RuntimeException {
    public SealedValueException(String message) { super(message, null, false, false); }
}
