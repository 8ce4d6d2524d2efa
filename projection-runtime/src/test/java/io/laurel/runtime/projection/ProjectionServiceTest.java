package io.laurel.runtime.projection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/ops/projections} names a projection's service after the package segment following
 * {@code io.laurel} (the real projections' services are checked by OpsAndQueriesBadInputIT).
 */
class ProjectionServiceTest {

    @Test
    void theServiceIsThePackageSegmentAfterIoLaurel() {
        assertThat(new CountingProjection("counting", "in", null, 0, false).service()).isEqualTo("runtime");
    }
}
