package io.laurel.runtime.projection;

import java.util.List;

/** One projection as {@code GET /v1/ops/projections} shows it. */
public record ProjectionStatus(
        String name,
        String service,
        int generation,
        long lag,
        String status,
        List<PartitionStatus> partitions,
        long recordsProcessed,
        long deadLettered,
        RebuildView rebuild) {

    public record PartitionStatus(String topic, int partition, long nextOffset, long lag) {
    }
}
