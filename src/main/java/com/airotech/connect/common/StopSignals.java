package com.airotech.connect.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT handled by the program instead of the JVM's default (which starts the
 * shutdown and exits 143): a long-running command stops in order and exits 0. Closing restores
 * the handlers there were before, so a command run in-process (tests) leaves the JVM as it was.
 */
public final class StopSignals implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals() {}

    /** Calls {@code onSignal} with the signal's number on each SIGTERM or SIGINT until closed. */
    public static StopSignals handle(IntConsumer onSignal) {
        StopSignals s = new StopSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal sig = new Signal(name);
                s.previous.put(sig, Signal.handle(sig, received -> onSignal.accept(received.getNumber())));
            } catch (IllegalArgumentException e) {
                // not available here (a JVM run with -Xrs): the JVM's own handling stays
            }
        }
        return s;
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
