package io.laurel.ingest.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.Ids;
import io.laurel.events.catalog.ApiKeyDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.web.Bodies;
import io.laurel.ingest.event.EventValidator;
import io.laurel.ingest.event.IdempotenceStore;
import io.laurel.ingest.eventtype.CompiledSchemas;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.ApiKeys;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka ingest: backend systems write envelopes to {@code laurel.events.inbound} with their API key in
 * the {@code laurel-api-key} header. Each record is validated exactly as {@code POST /v1/events}; valid
 * ones are forwarded to {@code laurel.events}, invalid ones to {@code laurel.events.rejected} with the
 * reason in headers. Forwarding and the consumed offsets commit in one Kafka transaction, so a restart
 * mid-stream neither loses nor repeats anything. Forwarded events get an id derived from the inbound
 * record's position, so a batch retried after an abort yields the same ids.
 */
@Component
public class InboundGateway implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(InboundGateway.class);

    private final LaurelProperties props;
    private final TopicRegistry topics;
    private final CatalogView catalog;
    private final IdempotenceStore idempotence;
    private final EventValidator validator;
    private final io.laurel.ingest.event.IngestMetrics metrics;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile String state = "stopped";
    private volatile String lastError;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final io.laurel.runtime.kafka.ConsumerLoop loop = new io.laurel.runtime.kafka.ConsumerLoop("inbound-gateway",
            io.laurel.runtime.kafka.Backoff.DEFAULT, new io.laurel.runtime.kafka.ConsumerLoop.Session() {
                @Override
                public void run() {
                    session();
                }

                @Override
                public void wakeup() {
                    KafkaConsumer<String, byte[]> c = consumer;
                    if (c != null) {
                        c.wakeup();
                    }
                }
            });

    public InboundGateway(LaurelProperties props, TopicRegistry topics, CatalogView catalog, CompiledSchemas schemas,
                          IdempotenceStore idempotence, io.laurel.ingest.event.IngestMetrics metrics) {
        this.metrics = metrics;
        this.props = props;
        this.topics = topics;
        this.catalog = catalog;
        this.idempotence = idempotence;
        this.validator = new EventValidator(catalog::eventType, schemas, Clock.systemUTC(),
                props.getIngest().getMaxFutureSkew(), catalog::position);
    }

    /** What {@code GET /v1/ops/inbound} shows. */
    public record Status(String state, long forwarded, long rejected, long duplicates, String lastError) {
    }

    public Status status() {
        return new Status(state, forwarded.get(), rejected.get(), duplicates.get(), lastError);
    }

    @Override
    public synchronized void start() {
        if (loop.running()) {
            return;
        }
        state = "starting";
        loop.start();
    }

    @Override
    public synchronized void stop() {
        loop.stop(Duration.ofSeconds(30));
    }

    @Override
    public boolean isRunning() {
        return loop.running();
    }

    /** One consumer's life; a failure (the broker away) ends it, and ConsumerLoop opens another after its back-off. */
    private void session() {
        String bootstrap = props.getKafka().getBootstrapServers();
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, props.getKafka().getTopicPrefix() + ".ingest.inbound",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, props.getKafka().groupProtocolConfig(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        KafkaProducer<String, byte[]> producer = null;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(topics.eventsInbound().name()));
            int failures = 0;
            while (loop.running()) {
                if (producer == null) {
                    producer = transactionalProducer(bootstrap);
                }
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                state = "running";
                loop.healthy();
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    processBatch(c, producer, records);
                    failures = 0;
                    lastError = null;
                } catch (WakeupException e) {
                    abortQuietly(producer);
                    break;
                } catch (Exception e) {
                    failures++;
                    state = "retrying";
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    log.warn("inbound batch failed, retrying it: {}", lastError);
                    abortQuietly(producer);
                    if (e instanceof ProducerFencedException || e instanceof KafkaException && !isRetriable(e)) {
                        producer.close(Duration.ofSeconds(5));
                        producer = null;
                    }
                    rewind(c, records);
                    io.laurel.runtime.kafka.Backoff.DEFAULT.pause(failures);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            state = "retrying";
            lastError = e.toString();
            throw e;
        } finally {
            consumer = null;
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            if (!loop.running()) {
                state = "stopped";
            }
        }
    }

    private KafkaProducer<String, byte[]> transactionalProducer(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                props.getKafka().getTopicPrefix() + ".ingest.inbound." + UUID.randomUUID());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        p.initTransactions();
        return p;
    }

    private void processBatch(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                              ConsumerRecords<String, byte[]> records) throws Exception {
        List<String[]> claims = new ArrayList<>();
        long ok = 0;
        long bad = 0;
        long dup = 0;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<List<String>> claimedInBatch = new HashSet<>();
        // what became of each tenant's records, counted once the transaction has committed
        Map<String, long[]> outcomes = new HashMap<>();
        producer.beginTransaction();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            Decision d = decide(r);
            if (d instanceof Decision.Forward f && f.claim() != null && !claimedInBatch.add(List.of(f.claim()))) {
                // the same key earlier in this batch: not yet acknowledged, but forwarded
                d = new Decision.Duplicate(f.event().tenant());
            }
            switch (d) {
                case Decision.Forward f -> {
                    producer.send(new ProducerRecord<>(topics.events().name(), f.event().key(),
                            topics.events().valueSerde().serialize(topics.events().name(), f.event())));
                    if (f.claim() != null) {
                        claims.add(f.claim());
                    }
                    ok++;
                    outcomes.computeIfAbsent(f.event().tenant(), t -> new long[3])[0]++;
                }
                case Decision.Reject j -> {
                    producer.send(rejection(r, j.problem()));
                    bad++;
                    outcomes.computeIfAbsent(j.tenant() == null ? io.laurel.ingest.event.IngestMetrics.UNKNOWN_TENANT
                            : j.tenant(), t -> new long[3])[1]++;
                }
                case Decision.Duplicate du -> {
                    dup++;
                    outcomes.computeIfAbsent(du.tenant(), t -> new long[3])[2]++;
                }
            }
        }
        producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
        producer.commitTransaction();
        outcomes.forEach((tenant, n) -> {
            metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.ACCEPTED, n[0]);
            metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.REJECTED, n[1]);
            metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.DUPLICATE, n[2]);
        });
        forwarded.addAndGet(ok);
        rejected.addAndGet(bad);
        duplicates.addAndGet(dup);
        try {
            idempotence.acknowledgeBlocking(claims);
        } catch (Exception e) {
            // the events are in Kafka; an unacknowledged claim only makes a later repeat re-send the same id
            log.warn("could not mark {} idempotence keys acknowledged: {}", claims.size(), e.toString());
        }
    }

    private sealed interface Decision {
        record Forward(EventAccepted event, String[] claim) implements Decision {
        }

        /** {@code tenant} is null when the record's key is unknown. */
        record Reject(String tenant, ProblemException problem) implements Decision {
        }

        record Duplicate(String tenant) implements Decision {
        }
    }

    private Decision decide(ConsumerRecord<String, byte[]> r) throws Exception {
        String tenant = null;
        try {
            ApiKeyDefinition key = authenticate(r);
            tenant = key.tenant();
            authorize(r, key);
            if (r.value() == null) {
                throw ProblemException.badRequest("MALFORMED_JSON", "The record has no value.");
            }
            if (r.value().length > props.getIngest().getMaxEventBytes()) {
                throw new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Payload too large",
                        "The record value is larger than " + props.getIngest().getMaxEventBytes() + " bytes.");
            }
            JsonNode body = Bodies.parse(r.value());
            EventAccepted validated = validator.validate(tenant, body, key.scopes());
            String id = Ids.derived("inbound", r.topic(), Integer.toString(r.partition()), Long.toString(r.offset()))
                    .toString();
            EventAccepted event = validated.withEventId(id);
            if (event.idempotenceKey() == null) {
                return new Decision.Forward(event, null);
            }
            IdempotenceStore.Claim claim = idempotence.claimBlocking(tenant, event.eventType(),
                    IdempotenceStore.scopedKey(event), id);
            if (!claim.first() && claim.acked()) {
                return new Decision.Duplicate(tenant);
            }
            return new Decision.Forward(event.withEventId(claim.eventId()),
                    new String[]{tenant, event.eventType(), IdempotenceStore.scopedKey(event)});
        } catch (ProblemException p) {
            return new Decision.Reject(tenant, p);
        }
    }

    private ApiKeyDefinition authenticate(ConsumerRecord<String, byte[]> r) {
        String secret = header(r, InboundHeaders.API_KEY);
        if (secret == null || secret.isBlank()) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Authentication required",
                    "The record has no '" + InboundHeaders.API_KEY + "' header.");
        }
        String hash = ApiKeys.hash(secret.trim());
        Optional<ApiKeyDefinition> key = catalog.apiKeyByHash(hash);
        if (key.isEmpty() && catalog.catchUp(Duration.ofSeconds(2))) {
            key = catalog.apiKeyByHash(hash);
        }
        return key.orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED",
                "Authentication required", "The API key is unknown or revoked."));
    }

    /** The key may append events, and to the tenant the record names. */
    private void authorize(ConsumerRecord<String, byte[]> r, ApiKeyDefinition k) {
        if (!k.scopes().contains(Scope.EVENTS_WRITE.value())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "Insufficient scope",
                    "This API key lacks the scope 'events:write'.");
        }
        String tenant = header(r, InboundHeaders.TENANT);
        if (tenant != null && !tenant.equals(k.tenant())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "FOREIGN_TENANT", "Another tenant",
                    "The record names tenant '" + tenant + "' but its API key belongs to another tenant.");
        }
    }

    private ProducerRecord<String, byte[]> rejection(ConsumerRecord<String, byte[]> r, ProblemException p) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(topics.eventsRejected().name(), null, r.key(), r.value());
        for (Header h : r.headers()) {
            if (!h.key().equals(InboundHeaders.API_KEY)) {
                out.headers().add(h);
            }
        }
        String errors;
        try {
            errors = LaurelJson.mapper().writeValueAsString(p.errors());
        } catch (Exception e) {
            errors = "[]";
        }
        out.headers()
                .add(header(InboundHeaders.REJECTED_CODE, p.code()))
                .add(header(InboundHeaders.REJECTED_STATUS, Integer.toString(p.status().value())))
                .add(header(InboundHeaders.REJECTED_DETAIL, p.getMessage() == null ? "" : p.getMessage()))
                .add(header(InboundHeaders.REJECTED_ERRORS, errors))
                .add(header(InboundHeaders.ORIGINAL_PARTITION, Integer.toString(r.partition())))
                .add(header(InboundHeaders.ORIGINAL_OFFSET, Long.toString(r.offset())))
                .add(header(InboundHeaders.REJECTED_AT, Instant.now().toString()));
        return out;
    }


    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        first.forEach((tp, offset) -> {
            if (c.assignment().contains(tp)) {
                c.seek(tp, offset);
            }
        });
    }

    private static boolean isRetriable(Exception e) {
        return e instanceof org.apache.kafka.common.errors.RetriableException
                || e.getCause() instanceof org.apache.kafka.common.errors.RetriableException;
    }

    private static void abortQuietly(KafkaProducer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            log.debug("abort: {}", e.toString());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

}
