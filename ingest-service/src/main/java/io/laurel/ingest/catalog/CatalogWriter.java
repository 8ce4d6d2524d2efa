package io.laurel.ingest.catalog;

import io.laurel.runtime.catalog.CatalogReaders;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes catalog changes to the compacted catalog topic and waits until the local view has folded
 * them, so the caller reads its own write. Writes are serialised: a check ("name not taken") and the
 * write that depends on it happen under one lock.
 */
@Component
public class CatalogWriter {
    private final Producer<String, byte[]> producer;
    private final TopicRegistry topics;
    private final CatalogView view;
    private final CatalogReaders readers;
    private final DataSource dataSource;
    /** The catalog lock's key: one writer at a time across every instance (a tenant id is taken once). */
    static final long LOCK = 7301003;

    public CatalogWriter(Producer<String, byte[]> producer, TopicRegistry topics, CatalogView view, CatalogReaders readers,
                         DataSource dataSource) {
        this.producer = producer;
        this.topics = topics;
        this.view = view;
        this.readers = readers;
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code decide} under the catalog lock (a PostgreSQL advisory lock: one writer across all instances)
     * after catching up; publishes what it returns, and answers once every instance's catalog has it.
     */
    public <T> T change(Supplier<Change<T>> decide) {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            }
            try {
                view.catchUp(Duration.ofSeconds(5));
                Change<T> change = decide.get();
                for (CatalogDefinition d : change.upserts()) {
                    send(d.key(), topics.catalog().valueSerde().serialize(topics.catalog().name(), d));
                }
                for (String key : change.deletes()) {
                    send(key, null);
                }
                producer.flush();
                view.catchUp(Duration.ofSeconds(5));
                requireEveryone();
                return change.result();
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
                }
            }
        } catch (SQLException e) {
            throw new io.laurel.runtime.web.ProblemException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "DATABASE_UNAVAILABLE", "Database unavailable", "The catalog could not be locked for the change: "
                    + e.getMessage() + ". Nothing was changed; retry later.");
        }
    }

    /** 503 {@code CATALOG_DELAYED} unless every live instance's catalog has read what this one has. */
    private void requireEveryone() {
        if (!readers.awaitEveryone(view.position(), VISIBLE_WITHIN)) {
            throw new io.laurel.runtime.web.ProblemException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "CATALOG_DELAYED", "Catalog delayed",
                    "The change was recorded but not every instance has it yet; read it again shortly.");
        }
    }

    /** Publishes one definition and waits for Kafka's acknowledgement (the Axon forwarder's path). */
    public void publish(CatalogDefinition definition) {
        send(definition.key(), topics.catalog().valueSerde().serialize(topics.catalog().name(), definition));
    }

    /** Publishes a tombstone for {@code key}. */
    public void publishDeletion(String key) {
        send(key, null);
    }

    /** How long a catalog change may take to be forwarded and folded before a request answers 503. */
    public static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

    /**
     * {@link #awaitVisible} for a request: 503 {@code CATALOG_DELAYED} when the change is not visible within
     * {@link #VISIBLE_WITHIN} (it was recorded; the forwarder publishes it asynchronously).
     */
    public void requireVisible(java.util.function.BooleanSupplier condition) {
        if (!awaitVisible(condition, VISIBLE_WITHIN)) {
            throw new io.laurel.runtime.web.ProblemException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "CATALOG_DELAYED", "Catalog delayed",
                    "The change was recorded but is not visible in the catalog yet; read it again shortly.");
        }
        requireEveryone(); // and on every other instance
    }

    /**
     * Waits until the local catalog satisfies {@code condition} (a change made through an aggregate has
     * been forwarded and folded), so the caller reads its own write.
     */
    public boolean awaitVisible(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            view.catchUp(Duration.ofMillis(200));
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topics.catalog().name(), key, value)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the catalog", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.laurel.runtime.web.ProblemException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "EVENT_LOG_UNAVAILABLE", "Event log unavailable", "Kafka did not acknowledge the catalog change within"
                    + " 10 s; it may still be recorded: read it back, or send it again later.", java.util.List.of(),
                    java.util.Map.of("Retry-After", "5"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the catalog: " + e.getMessage(), e);
        }
    }

    /** What a catalog decision publishes, and what it answers. */
    public record Change<T>(List<? extends CatalogDefinition> upserts, List<String> deletes, T result) {
        public static <T> Change<T> of(T result, CatalogDefinition... upserts) {
            return new Change<>(List.of(upserts), List.of(), result);
        }

        public static <T> Change<T> of(T result, List<? extends CatalogDefinition> upserts) {
            return new Change<>(upserts, List.of(), result);
        }

        public static <T> Change<T> delete(T result, String key) {
            return new Change<>(List.of(), List.of(key), result);
        }
    }
}
