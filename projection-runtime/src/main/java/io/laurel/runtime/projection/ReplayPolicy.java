package io.laurel.runtime.projection;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/** Decides, per record, whether it is replayed (no side effects) or live. */
sealed interface ReplayPolicy {

    boolean isReplay(int partition, String topic, long offset);

    /** A live generation: every record is live. */
    record Live() implements ReplayPolicy {
        @Override
        public boolean isReplay(int partition, String topic, long offset) {
            return false;
        }
    }

    /** A generation being rebuilt: everything is replay. */
    record Rebuilding() implements ReplayPolicy {
        @Override
        public boolean isReplay(int partition, String topic, long offset) {
            return true;
        }
    }

    /**
     * A rebuilt generation just made live: records below the old generation's final offsets were already
     * handled (with their side effects) by the old generation, so they are replay; the rest is live.
     */
    record LiveFrom(Map<TopicPartition, Long> switchOffsets) implements ReplayPolicy {
        @Override
        public boolean isReplay(int partition, String topic, long offset) {
            Long from = switchOffsets.get(new TopicPartition(topic, partition));
            return from != null && offset < from;
        }
    }
}
