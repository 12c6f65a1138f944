package com.airotech.connect.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 13, item 7: an unexpected exception reaches the operator log with its type and stack, never its message. */
class LogSafeTest {
    @Test
    void anUnexpectedExceptionIsLoggedWithItsTypesAndStackButWithoutAnyMessage() {
        String material = "ak_live_" + java.util.UUID.randomUUID();
        Exception e = new IllegalStateException("wrapped " + material, new IllegalArgumentException("invalid header value: \"" + material + "\""));
        try (LogCapture log = new LogCapture()) {
            LoggerFactory.getLogger("com.airotech.connect.gateway.AdminEndpoint").error("unexpected failure on {} {}", "POST", "/api/x",
                    LogSafe.withoutMessages(e));
            assertThat(log.text()).doesNotContain(material)
                    .contains("java.lang.IllegalStateException").contains("java.lang.IllegalArgumentException")
                    .contains("LogSafeTest.anUnexpectedExceptionIsLoggedWithItsTypesAndStackButWithoutAnyMessage");
        }
    }
}
