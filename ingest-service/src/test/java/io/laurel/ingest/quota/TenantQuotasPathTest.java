package io.laurel.ingest.quota;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limit sees a path as the router does, so no spelling of it slips past. */
class TenantQuotasPathTest {
    @Test
    void encodedSegmentsAndMatrixParametersAreTheSamePath() {
        assertThat(TenantQuotas.routedPath(PathContainer.parsePath("/v1/events"))).isEqualTo("/v1/events");
        assertThat(TenantQuotas.routedPath(PathContainer.parsePath("/v1/%65vents"))).isEqualTo("/v1/events");
        assertThat(TenantQuotas.routedPath(PathContainer.parsePath("/v1/events;x=1"))).isEqualTo("/v1/events");
        assertThat(TenantQuotas.routedPath(PathContainer.parsePath("/v1/%68ooks/visit"))).isEqualTo("/v1/hooks/visit");
        assertThat(TenantQuotas.routedPath(PathContainer.parsePath("/v1/events:batch"))).isEqualTo("/v1/events:batch");
        assertThat(TenantQuotas.routedPath(PathContainer.parsePath("/"))).isEqualTo("/");
    }
}
