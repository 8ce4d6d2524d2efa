package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Any instance answers the projection status of the whole platform: two instances of one "service" and one of
 * another, on one Kafka and one PostgreSQL, each report to PostgreSQL; each answers with every projection, the
 * partitions of all instances and their records together; an instance gone drops out of the answer, and a
 * projection no instance runs any more is listed as stopped.
 */
class PlatformStatusIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(PlatformStatusIT.class);

    @Test
    void everyInstanceAnswersForEveryProjectionOfThePlatform() throws Exception {
        String input = env.topics().events().name() + ".platform";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(input, 2, (short) 1))).all().get();
        }
        String prefix = env.topicPrefix() + ".platform";
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers())) {
            ProjectionFixture.sendMany(producer, input, 400, 7, 0);
            ProjectionManager a1 = manager(ds, producer, "scored", input, prefix, "inst-a1");
            ProjectionManager a2 = manager(ds, producer, "scored", input, prefix, "inst-a2");
            ProjectionManager b1 = manager(ds, producer, "awarded", input, prefix, "inst-b1");
            try (a1) {
                a1.start();
                a2.start();
                b1.start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (ProjectionManager m : List.of(a1, a2, b1)) {
                        List<ProjectionStatus> all = m.platformStatus();
                        assertThat(all).extracting(ProjectionStatus::name).containsExactlyInAnyOrder("scored", "awarded");
                        ProjectionStatus scored = all.stream().filter(s -> s.name().equals("scored")).findFirst().orElseThrow();
                        // both partitions, whether this instance holds one, both or none of them
                        assertThat(scored.partitions()).extracting(ProjectionStatus.PartitionStatus::partition)
                                .containsExactly(0, 1);
                        assertThat(scored.recordsProcessed()).isEqualTo(400);
                        assertThat(scored.lag()).isZero();
                        assertThat(scored.status()).isEqualTo("running");
                    }
                });
                // a2 goes: its partitions move to a1, and its report ages out of the answer
                a2.close();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    ProjectionStatus scored = b1.platformStatus().stream().filter(s -> s.name().equals("scored"))
                            .findFirst().orElseThrow();
                    assertThat(scored.partitions()).extracting(ProjectionStatus.PartitionStatus::partition)
                            .containsExactly(0, 1);
                    assertThat(scored.recordsProcessed()).isEqualTo(a1.status().get(0).recordsProcessed());
                });
                // the only instance of the other service goes: its projection stays listed, stopped, holding nothing
                b1.close();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ProjectionStatus awarded = a1.platformStatus().stream().filter(s -> s.name().equals("awarded"))
                            .findFirst().orElseThrow();
                    assertThat(awarded.status()).isEqualTo("stopped");
                    assertThat(awarded.partitions()).isEmpty();
                });
            }
        }
    }

    private ProjectionManager manager(HikariDataSource ds, Producer<String, byte[]> producer, String name, String input,
                                      String prefix, String instance) {
        return new ProjectionManager(List.of(new CountingProjection(name, input, env.topics().points().name(), 0, false)),
                new ProjectionStore(ds), producer, ProjectionFixture.consumerBase(env.bootstrapServers(), 100), prefix,
                ProjectionRunner.Retry.DEFAULT, instance);
    }
}
