package com.airotech.connect.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTypeTest {
    @Test
    void theHandCheckAgreesWithThePublishedPattern() {
        String[] edges = {"reading", "a", "0", "_a", "-a", "a_", "a-", "A", "reading\n", "read ing", "é", "x".repeat(64), "x".repeat(65), "", "a.b"};
        for (String t : edges) assertThat(RegistrationRequest.isEventType(t)).as(t).isEqualTo(RegistrationRequest.EVENT_TYPE.matcher(t).matches());
        assertThat(RegistrationRequest.isEventType(null)).isFalse();
        Random r = new Random(11);
        String alphabet = "az09_-A.\n é";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(70); k > 0; k--) b.append(r.nextInt(4) == 0 ? alphabet.charAt(r.nextInt(alphabet.length())) : (char) ('a' + r.nextInt(26)));
            String t = b.toString();
            assertThat(RegistrationRequest.isEventType(t)).as(t).isEqualTo(RegistrationRequest.EVENT_TYPE.matcher(t).matches());
        }
    }
}
