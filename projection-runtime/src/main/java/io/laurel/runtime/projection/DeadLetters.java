package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Sends a record that could not be processed to {@code <topic>.dlt}, with the same key and value and
 * the reason in headers (Spring Kafka's {@code kafka_dlt-*} header names, so its tools read them).
 */
public final class DeadLetters {
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
    public static final String PROJECTION = "laurel_dlt-projection";
    public static final String FAILED_AT = "laurel_dlt-failed-at";

    private final Producer<String, byte[]> producer;

    public DeadLetters(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void send(ConsumerRecord<String, byte[]> record, Throwable error, String projection) throws Exception {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(record.topic() + ".dlt", null,
                record.key(), record.value());
        for (Header h : record.headers()) {
            dead.headers().add(h);
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        dead.headers()
                .add(header(ORIGINAL_TOPIC, record.topic()))
                .add(header(ORIGINAL_PARTITION, Integer.toString(record.partition())))
                .add(header(ORIGINAL_OFFSET, Long.toString(record.offset())))
                .add(header(EXCEPTION_FQCN, root.getClass().getName()))
                .add(header(EXCEPTION_MESSAGE, Failures.describe(error)))
                .add(header(EXCEPTION_STACKTRACE, stackTrace(error)))
                .add(header(PROJECTION, projection))
                .add(header(FAILED_AT, Instant.now().toString()));
        producer.send(dead).get(60, TimeUnit.SECONDS);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        String s = out.toString();
        return s.length() > 8000 ? s.substring(0, 8000) : s;
    }
}
