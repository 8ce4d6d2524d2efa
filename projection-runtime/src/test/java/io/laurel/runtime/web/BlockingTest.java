package io.laurel.runtime.web;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BlockingTest {

    @Test
    void returnsTheResultOffTheCallingThread() {
        String caller = Thread.currentThread().getName();
        StepVerifier.create(Blocking.call(() -> Thread.currentThread().getName()))
                .assertNext(name -> assertThat(name).isNotEqualTo(caller).startsWith("boundedElastic"))
                .verifyComplete();
    }

    @Test
    void failuresOfTheWorkReachTheSubscriberAsTheyWere() {
        StepVerifier.create(Blocking.call(() -> {
                    throw new IllegalStateException("refused");
                }))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("refused"))
                .verify();
    }

    @Test
    void nothingRunsUntilSubscribed() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Mono<Boolean> mono = Blocking.call(() -> ran.getAndSet(true));
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).untilFalse(ran);
        assertThat(mono.block()).isFalse();
        assertThat(ran).isTrue();
    }

    @Test
    void aCancelledCallerDoesNotInterruptWorkUnderWay() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Disposable subscription = Blocking.call(() -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS); // a transaction under way until the test lets it end
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            finished.countDown();
            return "done";
        }).subscribe();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        subscription.dispose(); // the client went away
        release.countDown();
        assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).as("the work was interrupted").isFalse();
    }
}
