package io.laurel.api;

/** A projection: status running, assigning, catching_up, outage, failed or stopped. */
public record ProjectionStatus(String name, String service, int generation, String status, long lag, java.util.List<PartitionStatus> partitions, long recordsProcessed, long deadLettered, Rebuild rebuild) {
}
