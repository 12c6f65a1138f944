package com.airotech.connect.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.airotech.connect.connector.AuthMethod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class LiveFeedTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00.500Z"), ZoneOffset.UTC);

    @Test
    void eventsFromManyThreadsAreFoldedIntoOneBatch() throws Exception {
        LiveFeed feed = new LiveFeed(clock);
        List<LiveFeed.Batch> batches = new ArrayList<>();
        feed.onBatch(batches::add);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) feed.accepted("tn_a", "cn_" + (i % 10), AuthMethod.HMAC, "door_open", "cr_1", 1000);
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        feed.drain();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).accepted()).isEqualTo(20_000);
        assertThat(batches.get(0).tenantsWithEvents()).containsExactly("tn_a");
        assertThat(feed.acceptedTotal()).isEqualTo(20_000);
        assertThat(feed.lastEvent("tn_a", "cn_3")).isEqualTo(clock.instant());
    }

    @Test
    void anEmptyDrainTellsNoOne() {
        LiveFeed feed = new LiveFeed(clock);
        List<LiveFeed.Batch> batches = new ArrayList<>();
        feed.onBatch(batches::add);
        feed.drain();
        assertThat(batches).isEmpty();
    }

    @Test
    void rejectionsAreCountedPerTenantAndReason() {
        LiveFeed feed = new LiveFeed(clock);
        feed.rejected("tn_a", "cn_1", AuthMethod.HMAC, "signature_invalid", "127.0.0.1");
        feed.rejected("tn_a", "cn_1", AuthMethod.HMAC, "signature_invalid", "127.0.0.2");
        feed.rejected("tn_a", null, null, "unauthorized", "127.0.0.1");
        feed.rejected("tn_b", "cn_9", AuthMethod.API_KEY, "unauthorized", "127.0.0.1");
        feed.drain();
        assertThat(feed.rejections("tn_a")).extracting(r -> r.code() + "=" + r.count())
                .containsExactlyInAnyOrder("signature_invalid=2", "unauthorized=1");
        assertThat(feed.rejections("tn_a")).filteredOn(r -> r.code().equals("signature_invalid")).first()
                .extracting(LiveFeed.RejectionCount::lastSource).isEqualTo("127.0.0.2");
        assertThat(feed.rejections("tn_c")).isEmpty();
    }

    @Test
    void duringAGraceOnlyRequestsWithAnotherCredentialCountAsPrevious() {
        LiveFeed feed = new LiveFeed(clock);
        feed.watchGrace("tn_a", "cn_1", "cr_new");
        feed.accepted("tn_a", "cn_1", AuthMethod.HMAC, "x", "cr_old", 1);
        feed.accepted("tn_a", "cn_1", AuthMethod.HMAC, "x", "cr_new", 1);
        feed.accepted("tn_a", "cn_1", AuthMethod.HMAC, "x", "cr_old", 1);
        feed.accepted("tn_a", "cn_2", AuthMethod.HMAC, "x", "cr_old", 1);
        feed.drain();
        assertThat(feed.previousCredentialUses("tn_a", "cn_1")).isEqualTo(2);
        assertThat(feed.previousCredentialUses("tn_a", "cn_2")).isEqualTo(-1);
        feed.watchGrace("tn_a", "cn_1", "cr_new");
        assertThat(feed.previousCredentialUses("tn_a", "cn_1")).as("watching the same rotation again keeps the count").isEqualTo(2);
        feed.watchGrace("tn_a", "cn_1", "cr_newer");
        assertThat(feed.previousCredentialUses("tn_a", "cn_1")).as("a new rotation starts from zero").isZero();
    }

    @Test
    void theRatePerSecondCoversCompleteSecondsOnly() {
        Instant[] now = {Instant.parse("2026-11-22T10:00:00.200Z")};
        Clock moving = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId z) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        LiveFeed feed = new LiveFeed(moving);
        for (int i = 0; i < 3; i++) feed.accepted("tn_a", "cn_1", AuthMethod.HMAC, "x", "cr", 1);
        feed.rejected("tn_a", "cn_1", AuthMethod.HMAC, "replayed", "127.0.0.1");
        feed.drain();
        assertThat(feed.perSecond(5).get(4)).as("the running second is not shown yet").containsExactly(0, 0);
        now[0] = Instant.parse("2026-11-22T10:00:01.100Z");
        assertThat(feed.perSecond(5).get(4)).containsExactly(3, 1);
    }
}
