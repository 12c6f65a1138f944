package com.airotech.connect.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Everything logged (messages, arguments and exceptions as text) while it is attached. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger product = (Logger) LoggerFactory.getLogger("com.airotech");
    private final ch.qos.logback.classic.Level previous;

    public LogCapture() {
        setContext(root.getLoggerContext());
        start();
        previous = product.getLevel();
        // the product's own lines at every level; libraries at their configured levels
        product.setLevel(ch.qos.logback.classic.Level.DEBUG);
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) sb.append("\n ").append(s.getSTEAsString());
        }
        lines.add(sb.toString());
    }

    public String text() { return String.join("\n", lines); }

    @Override
    public void close() {
        root.detachAppender(this);
        product.setLevel(previous);
        stop();
    }
}
