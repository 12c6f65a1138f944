package com.airotech.connect.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The production log configuration (src/main/resources/logback.xml) turns every control character
 * of a message or exception into '?': whatever a request carries (CR/LF, ANSI escapes, NUL), one
 * logged event is one line, and nothing is interpreted (`${jndi:…}` stays text).
 */
class LogInjectionTest {
    @Test
    void hostileTextInAMessageStaysOnOneInertLine() throws Exception {
        URL config = LogInjectionTest.class.getClassLoader().getResource("logback.xml");
        assertThat(config).as("the production logback.xml on the classpath").isNotNull();
        LoggerContext ctx = new LoggerContext();
        StringBuilder out = new StringBuilder();
        try {
            JoranConfigurator j = new JoranConfigurator();
            j.setContext(ctx);
            j.doConfigure(config);
            ch.qos.logback.classic.Logger log = ctx.getLogger("com.airotech.connect.gateway.AdminEndpoint");
            @SuppressWarnings("unchecked")
            ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder =
                    ((ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
                            ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).getEncoder();
            List<String> hostile = List.of(
                    "/api/x\r\n2026-11-22T10:00:00.000Z INFO  [main] forged - admin logged in",
                    "\u001b[31mRED\u001b[0m\u001b]0;title\u0007",
                    "${jndi:ldap://127.0.0.1:1389/a}",
                    "nul\u0000byte\u0085nel\u2028ls");
            for (String h : hostile) {
                var e = new ch.qos.logback.classic.spi.LoggingEvent(Logger.class.getName(), log, ch.qos.logback.classic.Level.WARN,
                        "unexpected failure on POST {}", null, new Object[] {h});
                out.append(new String(encoder.encode(e), StandardCharsets.UTF_8));
            }
            var withException = new ch.qos.logback.classic.spi.LoggingEvent(Logger.class.getName(), log, ch.qos.logback.classic.Level.ERROR,
                    "with an exception", new IllegalStateException("boom\r\nforged line\u001b[2J"), null);
            out.append(new String(encoder.encode(withException), StandardCharsets.UTF_8));
        } finally {
            ctx.stop();
        }
        assertThat(out).doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\u0000").doesNotContain("\u0007")
                .doesNotContain("\u0085").doesNotContain("\u2028");
        String[] lines = out.toString().split("\n");
        long eventLines = java.util.Arrays.stream(lines).filter(l -> l.matches("^\\d{4}-\\d{2}-\\d{2}T.*")).count();
        assertThat(eventLines).as("one line per event, no forged ones").isEqualTo(5);
        assertThat(lines).as("every line is an event").hasSize(5);
        assertThat(out).doesNotContain("\nforged").doesNotContain("\n2026-11-22T10:00:00.000Z INFO  [main] forged");
        assertThat(out).contains("${jndi:ldap://127.0.0.1:1389/a}");
    }
}
