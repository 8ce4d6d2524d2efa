package io.laurel.ingest.quota;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aFullBucketGrantsItsBurstThenWaitsForTheRate() {
        TokenBucket b = new TokenBucket(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(b.take(1, 0)).isZero();
        }
        assertThat(b.take(1, 0)).isEqualTo(S / 10);
        assertThat(b.take(1, S / 10)).isZero();
        assertThat(b.take(1, S / 10)).isEqualTo(S / 10);
    }

    @Test
    void refillStopsAtTheBurst() {
        TokenBucket b = new TokenBucket(100, 3, 0);
        b.take(3, 0);
        // an hour idle refills three tokens, not 360,000
        for (int i = 0; i < 3; i++) {
            assertThat(b.take(1, 3600 * S)).isZero();
        }
        assertThat(b.take(1, 3600 * S)).isPositive();
    }

    @Test
    void aRefusedRequestTakesNothing() {
        TokenBucket b = new TokenBucket(1, 2, 0);
        assertThat(b.take(2, 0)).isZero();
        assertThat(b.take(1, S / 2)).isEqualTo(S / 2);
        assertThat(b.take(1, S)).isZero();
    }

    @Test
    void aBatchLargerThanTheBurstIsAdmittedFromAFullBucketAndPaidBack() {
        TokenBucket b = new TokenBucket(10, 10, 0);
        assertThat(b.take(50, 0)).isZero();
        // 40 tokens owed: the next single event waits 4.1 s
        assertThat(b.take(1, 0)).isEqualTo(41 * S / 10);
        assertThat(b.take(1, 4 * S)).isEqualTo(S / 10);
        assertThat(b.take(1, 41 * S / 10)).isZero();
    }

    @Test
    void aBatchWaitsForAsManyTokensAsItNeedsUpToTheBurst() {
        TokenBucket b = new TokenBucket(4, 8, 0);
        assertThat(b.take(6, 0)).isZero();
        assertThat(b.take(5, 0)).isEqualTo(3 * S / 4);
        assertThat(b.take(20, 0)).isEqualTo(6 * S / 4);
    }

    @Test
    void zeroEventsAreAlwaysGranted() {
        TokenBucket b = new TokenBucket(1, 1, 0);
        b.take(1, 0);
        assertThat(b.take(0, 0)).isZero();
    }

    @Test
    void timeGoingBackwardsAddsNothing() {
        TokenBucket b = new TokenBucket(1, 1, 10 * S);
        b.take(1, 10 * S);
        assertThat(b.take(1, 5 * S)).isPositive();
    }

    @Test
    void aBucketNeedsARateAndABurst() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
