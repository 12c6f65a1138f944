package com.airotech.connect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportThrottleTest {
    @Test
    void theFirstIsReportedAtOnceTheRestCountedUntilTheIntervalOrAClear() throws Exception {
        ReportThrottle t = new ReportThrottle(Duration.ofMillis(50));
        assertThat(t.occurred(1)).isEqualTo(1);
        assertThat(t.occurred(3)).isZero();
        assertThat(t.occurred(2)).isZero();
        com.airotech.connect.testing.Await.until("the interval passed", () -> t.occurred(0) > 0, Duration.ofSeconds(5));
        assertThat(t.occurred(1)).as("reported just now: counted again").isZero();
        assertThat(t.clear()).isEqualTo(1);
        assertThat(t.occurred(4)).as("after a clear the next report is at once").isEqualTo(4);
    }
}
