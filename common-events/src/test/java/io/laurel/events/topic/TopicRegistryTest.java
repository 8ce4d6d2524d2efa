package io.laurel.events.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicRegistryTest {
    private static final long SEVEN_DAYS_MS = Duration.ofDays(7).toMillis();
    private static final long THIRTY_DAYS_MS = Duration.ofDays(30).toMillis();

    private final TopicRegistry registry = new TopicRegistry("acme-test", 4);

    @Test
    void everyTopicNameCarriesThePrefix() {
        assertThat(registry.all()).extracting(TopicSpec::name).allSatisfy(name -> assertThat(name).startsWith("acme-test."));
        assertThat(registry.prefix()).isEqualTo("acme-test");
    }

    @Test
    void mainTopicNamesAreThePrefixFollowedByTheTopic() {
        assertThat(registry.eventsInbound().name()).isEqualTo("acme-test.events.inbound");
        assertThat(registry.events().name()).isEqualTo("acme-test.events");
        assertThat(registry.eventsRejected().name()).isEqualTo("acme-test.events.rejected");
        assertThat(registry.catalog().name()).isEqualTo("acme-test.catalog");
        assertThat(registry.points().name()).isEqualTo("acme-test.points");
        assertThat(registry.achievements().name()).isEqualTo("acme-test.achievements");
    }

    @Test
    void defaultPrefixIsLaurel() {
        TopicRegistry defaults = new TopicRegistry();

        assertThat(defaults.prefix()).isEqualTo("laurel").isEqualTo(TopicRegistry.DEFAULT_PREFIX);
        assertThat(defaults.events().name()).isEqualTo("laurel.events");
        assertThat(defaults.catalog().name()).isEqualTo("laurel.catalog");
    }

    @Test
    void defaultRegistryUsesTheDefaultPartitionCountForUserKeyedTopics() {
        TopicRegistry defaults = new TopicRegistry();

        assertThat(defaults.events().partitions()).isEqualTo(TopicRegistry.DEFAULT_PARTITIONS);
        assertThat(defaults.points().partitions()).isEqualTo(TopicRegistry.DEFAULT_PARTITIONS);
    }

    @Test
    void userKeyedTopicsGetTheConfiguredPartitionCount() {
        assertThat(List.of(registry.eventsInbound(), registry.events(), registry.eventsRejected(), registry.points(),
                registry.achievements()))
                .extracting(TopicSpec::partitions).containsOnly(4);
    }

    @Test
    void catalogIsCompactedWithOnePartition() {
        TopicSpec<?> catalog = registry.catalog();

        assertThat(catalog.partitions()).isEqualTo(1);
        assertThat(catalog.compacted()).isTrue();
        assertThat(catalog.configs()).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    }

    @Test
    void catalogKeepsOnePartitionWhateverThePartitionCount() {
        assertThat(new TopicRegistry("laurel", 12).catalog().partitions()).isEqualTo(1);
    }

    @Test
    void eventsAreKeptForever() {
        TopicSpec<?> events = registry.events();

        assertThat(events.retention()).isNull();
        assertThat(events.compacted()).isFalse();
        assertThat(events.configs()).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "-1");
    }

    @Test
    void pointsJournalIsKeptForever() {
        assertThat(registry.points().configs()).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void inboundEventsAreKeptSevenDays() {
        TopicSpec<?> inbound = registry.eventsInbound();

        assertThat(inbound.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(inbound.configs()).containsEntry("retention.ms", Long.toString(SEVEN_DAYS_MS))
                .containsEntry("cleanup.policy", "delete");
    }

    @Test
    void rejectedEventsAreKeptThirtyDays() {
        assertThat(registry.eventsRejected().configs()).containsEntry("retention.ms", Long.toString(THIRTY_DAYS_MS));
    }

    @Test
    void deadLetterTopicIsTheTopicNameWithDltSuffixKeptThirtyDays() {
        TopicSpec<byte[]> dlt = registry.events().deadLetter();

        assertThat(dlt.name()).isEqualTo("acme-test.events.dlt");
        assertThat(dlt.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(dlt.compacted()).isFalse();
        assertThat(dlt.configs()).containsEntry("retention.ms", Long.toString(THIRTY_DAYS_MS))
                .containsEntry("cleanup.policy", "delete");
    }

    @Test
    void deadLetterOfTheCompactedCatalogIsNotCompacted() {
        TopicSpec<byte[]> dlt = registry.catalog().deadLetter();

        assertThat(dlt.name()).isEqualTo("acme-test.catalog.dlt");
        assertThat(dlt.compacted()).isFalse();
        assertThat(dlt.partitions()).isEqualTo(1);
        assertThat(dlt.configs()).containsEntry("cleanup.policy", "delete");
    }

    @Test
    void deadLetterKeepsTheKeyDescription() {
        assertThat(registry.points().deadLetter().keyDescription()).isEqualTo(registry.points().keyDescription());
    }

    @Test
    void deadLetterOfNamesTheSameTopicAsTheSpec() {
        assertThat(registry.deadLetterOf(registry.points().name())).isEqualTo("acme-test.points.dlt")
                .isEqualTo(registry.points().deadLetter().name());
    }

    @Test
    void allHoldsEveryMainTopicAndADeadLetterTopicForEachConsumedOne() {
        List<String> names = registry.all().stream().map(TopicSpec::name).toList();

        assertThat(names).containsAll(registry.mainTopics().stream().map(TopicSpec::name).toList());
        assertThat(names).contains("acme-test.events.inbound.dlt", "acme-test.events.dlt", "acme-test.catalog.dlt",
                "acme-test.points.dlt", "acme-test.achievements.dlt");
    }

    @Test
    void allHasNoDuplicateNames() {
        List<String> names = registry.all().stream().map(TopicSpec::name).toList();

        assertThat(names).doesNotHaveDuplicates();
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
    }

    @Test
    void mainTopicsHaveNoDeadLetterTopics() {
        assertThat(registry.mainTopics()).extracting(TopicSpec::name).noneMatch(n -> n.endsWith(".dlt")).hasSize(6);
    }

    @Test
    void userKeyedTopicsAreKeyedByTenantAndUser() {
        assertThat(registry.events().keyDescription()).isEqualTo("tenant/user");
        assertThat(registry.points().keyDescription()).isEqualTo("tenant/user");
        assertThat(registry.catalog().keyDescription()).isEqualTo("tenant/kind/id");
    }

    @Test
    void topicsCarryTheSerdeOfTheirRecords() {
        assertThat(registry.events().valueSerde().type().getSimpleName()).isEqualTo("EventAccepted");
        assertThat(registry.points().valueSerde().type().getSimpleName()).isEqualTo("PointsEntry");
        assertThat(registry.catalog().valueSerde().type().getSimpleName()).isEqualTo("CatalogDefinition");
        assertThat(registry.eventsInbound().valueSerde().type().getSimpleName()).isEqualTo("EventEnvelope");
    }

    @Test
    void compactedConfigsCarryNoRetention() {
        Map<String, String> configs = new TopicSpec<>("x", "k", null, 1, Duration.ofDays(1), true).configs();

        assertThat(configs).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".laurel", "-laurel", "_laurel", "has space", "laurel/x", "laurel:x", "läurel"})
    void invalidPrefixIsRejected(String prefix) {
        assertThatThrownBy(() -> new TopicRegistry(prefix, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
    }

    @Test
    void overlongPrefixIsRejected() {
        assertThatThrownBy(() -> new TopicRegistry("a".repeat(102), 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longestAllowedPrefixIsAccepted() {
        assertThat(new TopicRegistry("a".repeat(101), 3).events().name()).hasSize(101 + ".events".length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"laurel", "Laurel2", "it-123", "ci_run.7", "0abc"})
    void validPrefixIsAccepted(String prefix) {
        assertThat(new TopicRegistry(prefix, 1).prefix()).isEqualTo(prefix);
    }

    @Test
    void nullPrefixIsRejected() {
        assertThatThrownBy(() -> new TopicRegistry(null, 3)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void partitionsBelowOneAreRejected(int partitions) {
        assertThatThrownBy(() -> new TopicRegistry("laurel", partitions)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions");
    }

    @Test
    void onePartitionIsAccepted() {
        assertThat(new TopicRegistry("laurel", 1).all()).extracting(TopicSpec::partitions).containsOnly(1);
    }
}
