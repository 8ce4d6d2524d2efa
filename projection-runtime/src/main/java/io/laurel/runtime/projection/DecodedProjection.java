package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A projection that receives decoded records: it names a {@link Decoder} per topic ({@code V} is what their values
 * have in common: {@code EventAccepted}, {@code Achievement}, or {@code Object} for a projection of two topics, which
 * then matches on the record types), and the runtime decodes each record of a batch before
 * {@link #applyDecoded}. A record that does not decode is poison, sent to the dead-letter topic with the reason;
 * the batch's other records are folded.
 */
public interface DecodedProjection<V> extends Projection {

    /** Topic name to the decoder of its values; also the topics this projection folds. */
    Map<String, Decoder<? extends V>> decoders();

    /** Applies a batch of decoded records, in the order of each partition, as {@link Projection#apply} does. */
    void applyDecoded(List<Delivered<V>> records, ProjectionTx tx) throws Exception;

    @Override
    default List<String> topics() {
        return List.copyOf(decoders().keySet());
    }

    /** Decodes the batch (the first record that does not is poison) and applies it. */
    @Override
    default void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws Exception {
        applyDecoded(decode(this, records), tx);
    }

    /** Each record decoded by its topic's decoder. */
    static <V> List<Delivered<V>> decode(DecodedProjection<V> projection, List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Decoder<? extends V>> decoders = projection.decoders();
        List<Delivered<V>> out = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            Decoder<? extends V> decoder = decoders.get(r.topic());
            if (decoder == null) {
                throw new PoisonRecordException("projection " + projection.name() + " has no decoder for topic "
                        + r.topic());
            }
            out.add(new Delivered<>(r, decoder.decode(r)));
        }
        return out;
    }
}
