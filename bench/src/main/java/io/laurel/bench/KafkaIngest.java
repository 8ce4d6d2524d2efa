package io.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.Keys;
import io.laurel.ingest.inbound.InboundHeaders;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka ingest: a plain producer writes envelopes, with a valid {@code laurel-api-key} header, to
 * {@code <prefix>.events.inbound}; the platform's inbound gateway validates each and forwards it to
 * {@code <prefix>.events} in Kafka transactions. Timed from the first send until {@code GET /v1/ops/inbound}
 * shows them all forwarded.
 */
final class KafkaIngest {
    private static final Duration STATUS_POLL = Duration.ofMillis(20);

    private KafkaIngest() {
    }

    /** {@code GET /v1/ops/inbound}. */
    record Status(String state, long forwarded, long rejected, long duplicates, String lastError) {
        static Status of(JsonNode n) {
            return new Status(n.path("state").asText(), n.path("forwarded").asLong(), n.path("rejected").asLong(),
                    n.path("duplicates").asLong(), n.path("last_error").isNull() ? null : n.path("last_error").asText(null));
        }

        long handled() {
            return forwarded + rejected + duplicates;
        }
    }

    /**
     * What one run did: {@code producedNanos} until the producer had every record acknowledged,
     * {@code forwardedNanos} until the gateway had handled them all (both from the first send; -1 if not
     * within the timeout); the gateway's counters grew by {@code forwarded}, {@code rejected}, {@code duplicates}.
     */
    record Result(int records, int valueBytes, long producedNanos, long forwardedNanos, long forwarded, long rejected,
                  long duplicates, Status after, CpuMeter.Usage cpu) {
        boolean complete() {
            return forwardedNanos >= 0;
        }

        double forwardedPerSecond() {
            return complete() ? Stats.perSecond(forwarded, forwardedNanos) : Double.NaN;
        }

        double producedPerSecond() {
            return Stats.perSecond(records, producedNanos);
        }
    }

    /** Produces {@code records} envelopes of {@link IngestLoad#event} and waits until the gateway handled them. */
    static Result run(String bootstrap, String inboundTopic, String apiKey, IngestLoad http, int records, int users,
                      String userPrefix, Duration timeout) throws Exception {
        byte[][] values = new byte[records][];
        String[] keys = new String[records];
        for (int i = 0; i < records; i++) {
            values[i] = IngestLoad.event(i, users, userPrefix).getBytes(StandardCharsets.UTF_8);
            keys[i] = Keys.user("default", userPrefix + (i % users));
        }
        byte[] keyHeader = apiKey.getBytes(StandardCharsets.UTF_8);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Status before = status(http);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Baselines.producerConfig(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(inboundTopic); // metadata outside the measurement
            CpuMeter cpu = CpuMeter.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(inboundTopic, keys[i], values[i]);
                r.headers().add(InboundHeaders.API_KEY, keyHeader);
                producer.send(r, (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            long producedNanos = System.nanoTime() - t0;
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " inbound records were not acknowledged", firstError.get());
            }
            long deadline = t0 + timeout.toNanos();
            Status now = before;
            long forwardedNanos = -1;
            while (System.nanoTime() < deadline) {
                now = status(http);
                long seen = System.nanoTime();
                if (now.handled() - before.handled() >= records) {
                    forwardedNanos = seen - t0;
                    break;
                }
                Thread.sleep(STATUS_POLL);
            }
            CpuMeter.Usage usage = cpu.stop();
            return new Result(records, values[0].length, producedNanos, forwardedNanos,
                    now.forwarded() - before.forwarded(), now.rejected() - before.rejected(),
                    now.duplicates() - before.duplicates(), now, usage);
        }
    }

    static Status status(IngestLoad http) throws Exception {
        return Status.of(http.getJson("/v1/ops/inbound"));
    }

    /** Waits (outside any measurement) until the gateway is consuming, so the first run does not time its start. */
    static void awaitRunning(IngestLoad http, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"running".equals(status(http).state())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the inbound gateway is not running: " + status(http));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
