package io.laurel.runtime.projection;

import io.laurel.events.json.JsonSerde;
import io.laurel.events.topic.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.function.Predicate;

/**
 * How the runtime decodes one topic's records for a projection: the topic registry's serde, and what a value must
 * have to be folded. A record that does not decode, or lacks what {@code complete} requires, is poison: the runtime
 * sends it to the dead-letter topic with the reason, and folds the others.
 */
public record Decoder<V>(JsonSerde<V> serde, Predicate<? super V> complete, String what) {

    /** Decodes {@code topic}'s values with its registered serde; {@code what} names a value in the dead letter. */
    public static <V> Decoder<V> of(TopicSpec<V> topic, Predicate<? super V> complete, String what) {
        return new Decoder<>(topic.valueSerde(), complete, what);
    }

    /** The record's value, or {@link PoisonRecordException}. */
    public V decode(ConsumerRecord<String, byte[]> record) {
        return PoisonRecordException.decode(serde, record, complete::test, what);
    }
}
