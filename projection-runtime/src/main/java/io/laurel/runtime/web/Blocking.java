package io.laurel.runtime.web;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs blocking work (Kafka acknowledgements, JDBC) off the event loop. Work once started runs to its end even
 * when the caller goes away (a client closing its connection cancels the request): interrupting it would
 * abort a transaction or a wallet command half-way, answer the departed client with an error logged as a
 * failure, and could leave a pooled connection broken. What it returns is then dropped.
 */
public final class Blocking {
    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.defer(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            // suppressCancel: a cancelled subscriber leaves the future (and the work) alone
            return Mono.fromFuture(result, true);
        });
    }
}
