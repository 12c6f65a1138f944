package com.airotech.connect.common;

/**
 * Exceptions made fit for the operator log. An unexpected exception's message may carry what a
 * request carried (a header value the JDK refused, a parser's excerpt of a body, a key): these
 * copies keep every exception's type and stack trace, which is what a developer needs, and drop
 * every message.
 */
public final class LogSafe {
    private LogSafe() {}

    /** The exception's chain, each link reduced to its class name and stack trace. */
    public static Throwable withoutMessages(Throwable t) {
        if (t == null) return null;
        Scrubbed s = new Scrubbed(t.getClass().getName(), withoutMessages(t.getCause() == t ? null : t.getCause()));
        s.setStackTrace(t.getStackTrace());
        return s;
    }

    /** Stands in for an exception whose message was withheld; its own message names the original's class. */
    static final class Scrubbed extends RuntimeException {
        Scrubbed(String originalClass, Throwable cause) {
            super(originalClass + " (message withheld: it may carry request data)", cause, false, true);
        }
    }
}
