package io.laurel.api;

/** One partition of a projection. */
public record PartitionStatus(String topic, int partition, long nextOffset, long lag) {
}
