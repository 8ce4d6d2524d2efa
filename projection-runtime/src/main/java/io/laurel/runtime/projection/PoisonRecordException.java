package io.laurel.runtime.projection;

/**
 * Thrown by a projection for a record it can never process (it does not parse, or breaks an invariant
 * of the data): the runtime sends it to the dead-letter topic at once, without retrying.
 */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Reads a record's value with {@code serde}; a value that does not parse, or that {@code complete}
     * rejects (a required field missing), is poison.
     */
    public static <T> T decode(io.laurel.events.json.JsonSerde<T> serde,
                               org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record,
                               java.util.function.Predicate<T> complete, String what) {
        T value;
        try {
            value = serde.deserialize(record.topic(), record.value());
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            throw new PoisonRecordException("not " + what + ": " + e.getMessage(), e);
        }
        if (value == null || !complete.test(value)) {
            throw new PoisonRecordException(what + " lacks a required field");
        }
        return value;
    }
}
