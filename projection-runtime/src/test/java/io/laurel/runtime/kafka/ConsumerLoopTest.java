package io.laurel.runtime.kafka;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ConsumerLoopTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(40));

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(b.after(0)).isZero();
        assertThat(b.after(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.after(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.after(6)).isEqualTo(Duration.ofMillis(3200));
        assertThat(b.after(7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.after(1000)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedSessionIsOpenedAgainAfterTheBackoffUntilItWorks() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        CountDownLatch working = new CountDownLatch(1);
        AtomicBoolean woken = new AtomicBoolean();
        CountDownLatch wokenUp = new CountDownLatch(1);
        ConsumerLoop[] loop = new ConsumerLoop[1];
        loop[0] = new ConsumerLoop("test-loop", FAST, new ConsumerLoop.Session() {
            @Override
            public void run() throws Exception {
                if (sessions.incrementAndGet() <= 3) {
                    throw new TimeoutException("broker away");
                }
                loop[0].healthy();
                working.countDown();
                // a poll that returns only when woken up
                wokenUp.await(30, TimeUnit.SECONDS);
                if (woken.get()) {
                    throw new WakeupException();
                }
            }

            @Override
            public void wakeup() {
                woken.set(true);
                wokenUp.countDown();
            }
        });
        loop[0].start();
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sessions.get()).isEqualTo(4);
        assertThat(loop[0].failures()).isZero();
        assertThat(loop[0].lastError()).isNull();
        loop[0].stop(Duration.ofSeconds(5));
        assertThat(woken.get()).isTrue();
        assertThat(loop[0].running()).isFalse();
        // none after the stop
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> sessions.get() == 4);
    }

    @Test
    void failuresAreCountedWithTheirErrorWhileTheyLast() {
        AtomicInteger sessions = new AtomicInteger();
        ConsumerLoop loop = new ConsumerLoop("failing", FAST, new ConsumerLoop.Session() {
            @Override
            public void run() {
                sessions.incrementAndGet();
                throw new IllegalStateException("no topic");
            }

            @Override
            public void wakeup() {
            }
        });
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.failures() >= 5);
        assertThat(loop.lastError()).isEqualTo("IllegalStateException: no topic");
        loop.stop(Duration.ofSeconds(5));
        int after = sessions.get();
        assertThat(loop.running()).isFalse();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> sessions.get() == after);
    }

    @Test
    void aStopEndsABackoffPauseAtOnceWithoutInterruptingTheThread() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        ConsumerLoop loop = new ConsumerLoop("slow-backoff", new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                new ConsumerLoop.Session() {
                    @Override
                    public void run() {
                        sessions.incrementAndGet();
                        interrupted.set(Thread.currentThread().isInterrupted());
                        throw new IllegalStateException("broker away");
                    }

                    @Override
                    public void wakeup() {
                    }
                });
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.failures() == 1);
        long started = System.nanoTime();
        loop.stop(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(sessions.get()).isEqualTo(1);
        assertThat(interrupted.get()).isFalse();
    }

    @Test
    void aSessionThatReturnsWhileRunningIsOpenedAgain() {
        AtomicInteger sessions = new AtomicInteger();
        ConsumerLoop loop = new ConsumerLoop("returning", FAST, new ConsumerLoop.Session() {
            @Override
            public void run() {
                sessions.incrementAndGet();
            }

            @Override
            public void wakeup() {
            }
        });
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.get() >= 3);
        assertThat(loop.failures()).isZero();
        loop.stop(Duration.ofSeconds(5));
    }
}
