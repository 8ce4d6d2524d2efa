package io.laurel.bench;

/**
 * The figures of the ingest scenarios of one run. {@code producerLatencyNanos} is the bare producer's
 * acknowledgement time at the open-loop rate (ascending); each {@code Quiet} is the wait for the
 * projections after the scenario it is named after.
 */
record IngestResults(IngestLoad.ClosedLoop capacity, double openLoopFraction, IngestLoad.OpenLoop openLoop,
                     OpenLoopSchedule producerLatencySchedule, long[] producerLatencyNanos,
                     IngestLoad.Batch batch, KafkaIngest.Result kafka,
                     IngestLoad.Quiet afterCapacity, IngestLoad.Quiet afterOpenLoop, IngestLoad.Quiet afterBatch,
                     IngestLoad.Quiet afterKafka) {

    /** The target for batch HTTP ingest, events per second. */
    static final double BATCH_TARGET_PER_SECOND = 20_000;
    /** The target for the p99 response time of single events at 70% of their capacity. */
    static final long SINGLE_P99_TARGET_NANOS = 20_000_000L;
    /** The fraction of capacity the p99 target is stated at. */
    static final double TARGET_FRACTION = 0.7;

    double openLoopRate() {
        return openLoop.schedule().ratePerSecond();
    }

    /** Batch ingest reached {@link #BATCH_TARGET_PER_SECOND}. */
    boolean batchTargetMet() {
        return batch.acceptedPerSecond() >= BATCH_TARGET_PER_SECOND;
    }

    long openLoopP99() {
        long[] l = openLoop.latencyNanos();
        return l.length == 0 ? Long.MAX_VALUE : Stats.percentile(l, 99);
    }

    /**
     * The single-event p99 stayed under {@link #SINGLE_P99_TARGET_NANOS}, at the target's fraction of capacity,
     * with every request answered.
     */
    boolean singleTargetMet() {
        return openLoopFraction == TARGET_FRACTION && openLoop.notCompleted() == 0
                && openLoopP99() < SINGLE_P99_TARGET_NANOS;
    }
}
