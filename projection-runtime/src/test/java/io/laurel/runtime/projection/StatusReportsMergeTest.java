package io.laurel.runtime.projection;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the status of one projection reported by several instances (and of other services) becomes one answer. */
class StatusReportsMergeTest {

    private static ProjectionStatus.PartitionStatus part(String topic, int partition, long next, long lag) {
        return new ProjectionStatus.PartitionStatus(topic, partition, next, lag);
    }

    private static ProjectionStatus status(String name, String service, String status, long lag, long records,
                                           ProjectionStatus.PartitionStatus... partitions) {
        return new ProjectionStatus(name, service, 1, lag, status, List.of(partitions), records, 0, null);
    }

    @Test
    void aSingleInstanceAnswersWithItsOwnStatus() {
        ProjectionStatus alone = status("scoring", "scoring", "running", 3, 100, part("laurel.events", 0, 50, 3));
        assertThat(StatusReports.merge(List.of(alone), List.of())).containsExactly(alone);
    }

    @Test
    void twoInstancesHoldingHalfEachShowEveryPartitionAndTheirRecordsTogether() {
        ProjectionStatus a = status("scoring", "scoring", "running", 2, 100, part("laurel.events", 0, 50, 2));
        ProjectionStatus b = status("scoring", "scoring", "running", 5, 70, part("laurel.events", 1, 40, 5));
        ProjectionStatus merged = StatusReports.merge(List.of(a), List.of(b)).get(0);
        assertThat(merged.partitions()).extracting(ProjectionStatus.PartitionStatus::partition).containsExactly(0, 1);
        assertThat(merged.recordsProcessed()).isEqualTo(170);
        assertThat(merged.lag()).isEqualTo(7);
        assertThat(merged.status()).isEqualTo("running");
    }

    @Test
    void anIdleInstanceDoesNotMakeTheProjectionAssigningWhileAnotherHoldsItsPartitions() {
        ProjectionStatus idle = status("badges", "badge", "assigning", 40, 0);
        ProjectionStatus busy = status("badges", "badge", "running", 12, 900, part("laurel.events", 0, 10, 12));
        ProjectionStatus merged = StatusReports.merge(List.of(idle), List.of(busy)).get(0);
        assertThat(merged.status()).isEqualTo("running");
        // the idle instance measured every partition from the stored offsets: the larger figure wins
        assertThat(merged.lag()).isEqualTo(40);
    }

    @Test
    void whenNoInstanceHoldsAPartitionTheProjectionIsAssigning() {
        ProjectionStatus a = status("badges", "badge", "assigning", 40, 0);
        ProjectionStatus b = status("badges", "badge", "assigning", 41, 0);
        ProjectionStatus merged = StatusReports.merge(List.of(a), List.of(b)).get(0);
        assertThat(merged.status()).isEqualTo("assigning");
        assertThat(merged.lag()).isEqualTo(41);
    }

    @Test
    void theWorstStateOfAnyInstanceIsShown() {
        ProjectionStatus ok = status("leaderboards", "leaderboard", "running", 0, 5, part("laurel.points", 0, 5, 0));
        ProjectionStatus outage = status("leaderboards", "leaderboard", "outage", 0, 5, part("laurel.points", 1, 5, 0));
        ProjectionStatus failed = status("leaderboards", "leaderboard", "failed", 0, 5);
        assertThat(StatusReports.merge(List.of(ok), List.of(outage)).get(0).status()).isEqualTo("outage");
        assertThat(StatusReports.merge(List.of(ok), List.of(outage, failed)).get(0).status()).isEqualTo("failed");
        ProjectionStatus behind = status("leaderboards", "leaderboard", "catching_up", 9000, 5,
                part("laurel.points", 1, 5, 9000));
        assertThat(StatusReports.merge(List.of(ok), List.of(behind)).get(0).status()).isEqualTo("catching_up");
    }

    @Test
    void aPartitionReportedTwiceDuringARebalanceCountsOnceAsThisInstanceSeesIt() {
        ProjectionStatus mine = status("scoring", "scoring", "running", 1, 10, part("laurel.events", 0, 99, 1));
        ProjectionStatus stale = status("scoring", "scoring", "running", 30, 10, part("laurel.events", 0, 70, 30));
        ProjectionStatus merged = StatusReports.merge(List.of(mine), List.of(stale)).get(0);
        assertThat(merged.partitions()).containsExactly(part("laurel.events", 0, 99, 1));
        assertThat(merged.lag()).isEqualTo(1);
    }

    @Test
    void projectionsOfOtherServicesFollowThisInstancesOwnByServiceAndName() {
        ProjectionStatus mine = status("event_log", "ingest", "running", 0, 1, part("laurel.events", 0, 1, 0));
        List<ProjectionStatus> others = List.of(
                status("webhooks", "badge", "running", 0, 1, part("laurel.badges", 0, 1, 0)),
                status("scoring", "scoring", "running", 0, 1, part("laurel.events", 0, 1, 0)),
                status("badges", "badge", "running", 0, 1, part("laurel.events", 0, 1, 0)),
                status("leaderboards", "leaderboard", "running", 0, 1, part("laurel.points", 0, 1, 0)));
        assertThat(StatusReports.merge(List.of(mine), others)).extracting(ProjectionStatus::name)
                .containsExactly("event_log", "badges", "webhooks", "leaderboards", "scoring");
    }

    @Test
    void aRebuildUnderWayIsShownWhicheverInstanceReportsIt() {
        RebuildView rebuild = new RebuildView("r1", "scoring", 2, "running", Instant.parse("2026-12-01T00:00:00Z"), null,
                10, 100L, 0.1, 5.0, 18L, null);
        ProjectionStatus a = status("scoring", "scoring", "running", 0, 1, part("laurel.events", 0, 1, 0));
        ProjectionStatus b = new ProjectionStatus("scoring", "scoring", 1, 0, "running",
                List.of(part("laurel.events", 1, 1, 0)), 1, 0, rebuild);
        assertThat(StatusReports.merge(List.of(a), List.of(b)).get(0).rebuild()).isEqualTo(rebuild);
    }
}
