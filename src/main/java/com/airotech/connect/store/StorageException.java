package com.airotech.connect.store;

/** A storage problem an operator must act on; the message says what to do. */
public class StorageException extends RuntimeException {
    public StorageException(String message) { super(message); }
    public StorageException(String message, Throwable cause) { super(message, cause); }
}
