package io.laurel.standalone;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/grafana/laurel-dashboard.json stays importable and every query names a metric (WalkingSkeletonIT checks
 * against a running platform that each of them is exported).
 */
class GrafanaDashboardTest {
    private final GrafanaDashboard dashboard = GrafanaDashboard.read(Path.of("..", "deploy", "grafana",
            "laurel-dashboard.json"));

    @Test
    void everyPanelHasAQueryAndEveryQueryNamesAMetric() {
        assertThat(dashboard.json().path("title").asText()).isEqualTo("Laurel");
        assertThat(dashboard.json().path("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        dashboard.json().path("panels").forEach(p -> {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            assertThat(p.path("targets")).as("queries of %s", p.path("title")).isNotEmpty();
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        });
        for (String q : dashboard.queries()) {
            assertThat(GrafanaDashboard.metrics(q)).as(q).isNotEmpty()
                    .allMatch(m -> m.startsWith("laurel_") || m.startsWith("http_server_") || m.startsWith("jvm_"));
        }
    }

    @Test
    void theMetricsApiMdNamesAreOnTheDashboard() {
        Set<String> named = new HashSet<>();
        dashboard.queries().forEach(q -> named.addAll(GrafanaDashboard.metrics(q)));
        assertThat(named).containsAll(List.of("laurel_projection_lag", "laurel_projection_records_total",
                "laurel_ingest_events_total", "http_server_requests_seconds_bucket", "laurel_rebuild_progress",
                "laurel_recalculation_progress"));
    }

    @Test
    void theMetricReaderFindsOnlyNamesWrittenWithMatchers() {
        assertThat(GrafanaDashboard.metrics("histogram_quantile(0.99, sum by (le) (rate(a_b_bucket{uri!=\"\"}[5m])))"))
                .containsExactly("a_b_bucket");
        assertThat(GrafanaDashboard.metrics("count(x{a=\"1\"} == 0) or vector(0)")).containsExactly("x");
        assertThat(GrafanaDashboard.metrics("sum(rate(y[1m]))")).isEmpty();
    }
}
