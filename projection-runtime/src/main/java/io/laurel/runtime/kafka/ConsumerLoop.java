package io.laurel.runtime.kafka;

import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The thread of a long-running consumer: runs {@link Session#run()} (open a consumer, poll until stopped) and, when a
 * session fails (the broker away at start, a topic not there yet, an unexpected error), logs it, waits the
 * {@link Backoff} and opens a new one, for as long as the loop runs. {@link #stop} wakes the consumer up
 * ({@link Session#wakeup()}) and waits for the thread. Shared by the projections (each generation's runner), the
 * catalog view and the Kafka inbound gateway.
 */
public final class ConsumerLoop {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** One consumer's life: returns when stopped (or the loop should end), throws when it failed. */
    public interface Session {
        void run() throws Exception;

        /** Makes a poll under way return (KafkaConsumer.wakeup); called from another thread. */
        void wakeup();

        /**
         * A session failed ({@code failures} in a row); the next starts after {@code retryIn}. By default logged: the
         * first failure and every tenth.
         */
        default void failed(String loop, Exception e, int failures, Duration retryIn) {
            if (failures == 1 || failures % 10 == 0) {
                log.warn("{}: {}: {} (failure {} in a row; retrying in {} ms)", loop, e.getClass().getSimpleName(),
                        e.getMessage(), failures, retryIn.toMillis());
            }
        }
    }

    private final String name;
    private final Backoff backoff;
    private final Session session;
    private volatile boolean running;
    private volatile String lastError;
    private volatile int failures;
    private Thread thread;
    private volatile Thread lastThread;

    public ConsumerLoop(String name, Backoff backoff, Session session) {
        this.name = name;
        this.backoff = backoff;
        this.session = session;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        lastThread = thread;
        thread.start();
    }

    /** Whether the loop runs: sessions check it to know when to return. */
    public boolean running() {
        return running;
    }

    /** The error of the last failed session, null once a session succeeded or none failed. */
    public String lastError() {
        return lastError;
    }

    /** How many sessions in a row have failed. */
    public int failures() {
        return failures;
    }

    /** A session calls this once it is working again (connected, polled). */
    public void healthy() {
        if (failures != 0 || lastError != null) {
            failures = 0;
            lastError = null;
        }
    }

    /** Whether the loop's thread is running (started, and not ended by a stop or an error it could not catch). */
    public boolean isAlive() {
        Thread t = lastThread;
        return t != null && t.isAlive();
    }

    /** Stops the loop and waits up to {@code wait} for its thread; answers whether it ended within it. */
    public boolean stop(Duration wait) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t == null) {
            return true;
        }
        // a poll under way returns at once; a back-off pause ends at once: the consumer closes cleanly, never interrupted
        session.wakeup();
        synchronized (pause) {
            pause.notifyAll();
        }
        try {
            t.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private final Object pause = new Object();

    /** Waits {@code d} unless the loop is stopped meanwhile. */
    private void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        synchronized (pause) {
            while (running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    pause.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                session.run();
                if (!running) {
                    return;
                }
                // returned on its own while running: a new session after the shortest pause
                pause(backoff.after(1));
                continue;
            } catch (WakeupException | InterruptException e) {
                if (!running) {
                    return;
                }
                fail(e);
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                fail(e);
            }
            if (running) {
                pause(backoff.after(failures));
                Thread.interrupted(); // an interrupt without a stop: go on
            }
        }
    }

    private void fail(Exception e) {
        failures++;
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        session.failed(name, e, failures, backoff.after(failures));
    }
}
