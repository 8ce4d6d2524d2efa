package io.laurel.runtime.catalog;

import io.laurel.events.catalog.ApiKeyDefinition;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.CertificateTemplateDefinition;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.FeatureDefinition;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.catalog.LevelDefinition;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.json.JsonSerde;
import io.laurel.events.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service's local catalog: the compacted {@code laurel.catalog} topic folded into memory, read from
 * the beginning at start and followed from then on. {@link #catchUp} gives read-your-writes: it waits
 * until everything published before the call has been folded (a rule created before an event is known
 * when that event is scored).
 */
public final class CatalogView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CatalogView.class);

    private final TopicSpec<CatalogDefinition> topic;
    private final JsonSerde<CatalogDefinition> serde;
    private final Map<String, Object> consumerConfig;
    private final Admin admin;
    private final Map<String, CatalogDefinition> byKey = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyDefinition> apiKeysByHash = new ConcurrentHashMap<>();
    /** tenant/kind → (key → definition): lookups per tenant never scan other tenants' definitions. */
    private final Map<String, Map<String, CatalogDefinition>> byTenantKind = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong ruleGeneration = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, RulesOfType> rulesByType = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final Object progress = new Object();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final io.laurel.runtime.kafka.ConsumerLoop loop;

    public CatalogView(String bootstrapServers, TopicSpec<CatalogDefinition> topic) {
        this.topic = topic;
        this.serde = topic.valueSerde();
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.loop = new io.laurel.runtime.kafka.ConsumerLoop("catalog-view", io.laurel.runtime.kafka.Backoff.DEFAULT,
                new io.laurel.runtime.kafka.ConsumerLoop.Session() {
                    @Override
                    public void run() {
                        follow();
                    }

                    @Override
                    public void wakeup() {
                        KafkaConsumer<String, byte[]> c = consumer;
                        if (c != null) {
                            c.wakeup();
                        }
                    }
                });
    }

    public void start() {
        loop.start();
    }

    /** Why the catalog could not be followed lately (the broker away), or null. */
    public String lastError() {
        return loop.lastError();
    }

    /**
     * One consumer's life (ConsumerLoop opens another after a failure, the broker away at start included): from the
     * beginning the first time, from where the view got to afterwards, so a reconnect never shows older definitions.
     */
    private void follow() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> parts = new ArrayList<>();
            while (loop.running() && parts.isEmpty()) {
                c.partitionsFor(topic.name(), Duration.ofSeconds(10))
                        .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            }
            c.assign(parts);
            for (TopicPartition tp : parts) {
                Long at = positions.get(tp);
                if (at == null) {
                    c.seekToBeginning(List.of(tp));
                } else {
                    c.seek(tp, at);
                }
            }
            while (loop.running()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> r : records) {
                    apply(r);
                }
                for (TopicPartition tp : parts) {
                    positions.put(tp, c.position(tp));
                }
                loop.healthy();
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            unindex(byKey.remove(r.key()));
            return;
        }
        CatalogDefinition def;
        try {
            def = serde.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            // Only Laurel writes this topic, through the typed serde; an unreadable record means a newer
            // writer. It is counted and shown in the health of the service, not silently dropped.
            unreadable.incrementAndGet();
            log.error("catalog record {}@{} cannot be read and is not applied: {}", r.key(), r.offset(), e.getMessage());
            return;
        }
        unindex(byKey.put(r.key(), def));
        byTenantKind.computeIfAbsent(def.tenant() + "/" + def.kind(), k -> new ConcurrentHashMap<>()).put(r.key(), def);
        if (def instanceof RuleDefinition) {
            ruleGeneration.incrementAndGet();
        }
        if (def instanceof ApiKeyDefinition k) {
            apiKeysByHash.put(k.keyHash(), k);
        }
    }

    private void unindex(CatalogDefinition previous) {
        if (previous == null) {
            return;
        }
        Map<String, CatalogDefinition> group = byTenantKind.get(previous.tenant() + "/" + previous.kind());
        if (group != null) {
            group.remove(previous.key());
        }
        if (previous instanceof RuleDefinition) {
            ruleGeneration.incrementAndGet();
        }
        if (previous instanceof ApiKeyDefinition k) {
            apiKeysByHash.remove(k.keyHash());
        }
    }

    /**
     * Waits until everything published to the catalog before this call has been folded.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean catchUp(Duration timeout) {
        Map<TopicPartition, Long> ends;
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            List<TopicPartition> known = new ArrayList<>(positions.keySet());
            if (known.isEmpty()) {
                for (int p = 0; p < topic.partitions(); p++) {
                    known.add(new TopicPartition(topic.name(), p));
                }
            }
            known.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            ends = new HashMap<>();
            admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        return awaitProgress(() -> reached(ends), timeout);
    }

    /** Waits, woken by each fold of the catalog, until {@code done} holds; false when {@code timeout} passed first. */
    private boolean awaitProgress(java.util.function.BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** How far this view has read the catalog: the sum of its next offsets over the topic's partitions. */
    public long position() {
        long sum = 0;
        for (long p : positions.values()) {
            sum += p;
        }
        return sum;
    }

    /**
     * Waits until this view has read the catalog at least as far as {@code position} (a value of
     * {@link #position()} here or in another service's view: they read the same topic from its start).
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitPosition(long position, Duration timeout) {
        return position() >= position || awaitProgress(() -> position() >= position, timeout);
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (positions.getOrDefault(e.getKey(), -1L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    public boolean isReady() {
        return !positions.isEmpty();
    }

    public long unreadableRecords() {
        return unreadable.get();
    }

    public Optional<ApiKeyDefinition> apiKeyByHash(String hash) {
        return Optional.ofNullable(apiKeysByHash.get(hash));
    }

    public Optional<TenantDefinition> tenant(String tenant) {
        return find(tenant, TenantDefinition.KIND, tenant, TenantDefinition.class);
    }

    public List<TenantDefinition> tenants() {
        return all(TenantDefinition.class);
    }

    public Optional<EventTypeDefinition> eventType(String tenant, String name) {
        return find(tenant, EventTypeDefinition.KIND, name, EventTypeDefinition.class);
    }

    public List<EventTypeDefinition> eventTypes(String tenant) {
        return ofTenant(tenant, EventTypeDefinition.class).stream()
                .sorted(Comparator.comparing(EventTypeDefinition::name)).toList();
    }

    public List<RuleDefinition> rules(String tenant) {
        return ofTenant(tenant, RuleDefinition.class);
    }

    public Optional<RuleDefinition> rule(String tenant, String id) {
        return find(tenant, RuleDefinition.KIND, id, RuleDefinition.class);
    }

    /** Active rules of a tenant that fire on {@code eventType}, in a stable order. */
    /**
     * Every rule of the tenant on this event type, retired ones included (an event received before a rule
     * was retired is still scored by it), in id order. Cached per type until the next rule change.
     */
    public List<RuleDefinition> rulesFor(String tenant, String eventType) {
        String key = tenant + "/" + eventType;
        long generation = ruleGeneration.get();
        RulesOfType cached = rulesByType.get(key);
        if (cached != null && cached.generation() == generation) {
            return cached.rules();
        }
        List<RuleDefinition> rules = ofTenant(tenant, RuleDefinition.class).stream()
                .filter(r -> r.eventType().equals(eventType))
                .sorted(Comparator.comparing(RuleDefinition::id))
                .toList();
        rulesByType.put(key, new RulesOfType(generation, rules));
        return rules;
    }

    private record RulesOfType(long generation, List<RuleDefinition> rules) {
    }

    public List<ApiKeyDefinition> apiKeys(String tenant) {
        return ofTenant(tenant, ApiKeyDefinition.class);
    }

    /** The tenant's active leaderboards, always including {@code all-time}. */
    public List<LeaderboardDefinition> leaderboards(String tenant) {
        List<LeaderboardDefinition> boards = new ArrayList<>(ofTenant(tenant, LeaderboardDefinition.class));
        boards.removeIf(b -> !b.active());
        if (boards.stream().noneMatch(b -> b.id().equals(LeaderboardDefinition.ALL_TIME))) {
            boards.add(LeaderboardDefinition.allTime(tenant));
        }
        boards.sort(Comparator.comparing(LeaderboardDefinition::id));
        return boards;
    }

    public Optional<LeaderboardDefinition> leaderboard(String tenant, String id) {
        return leaderboards(tenant).stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** The tenant's active badges, by id. */
    public List<BadgeDefinition> badges(String tenant) {
        return activeById(tenant, BadgeDefinition.class, BadgeDefinition::active);
    }

    /** A badge of the tenant, active or retired (awards of a retired badge are still shown). */
    public Optional<BadgeDefinition> badge(String tenant, String id) {
        return find(tenant, BadgeDefinition.KIND, id, BadgeDefinition.class);
    }

    /** The tenant's active level sets, by id. */
    public List<LevelDefinition> levels(String tenant) {
        return activeById(tenant, LevelDefinition.class, LevelDefinition::active);
    }

    public Optional<LevelDefinition> level(String tenant, String id) {
        return find(tenant, LevelDefinition.KIND, id, LevelDefinition.class);
    }

    /** The tenant's active challenges, by id. */
    public List<ChallengeDefinition> challenges(String tenant) {
        return activeById(tenant, ChallengeDefinition.class, ChallengeDefinition::active);
    }

    /** A challenge of the tenant, active or retired. */
    public Optional<ChallengeDefinition> challenge(String tenant, String id) {
        return find(tenant, ChallengeDefinition.KIND, id, ChallengeDefinition.class);
    }

    /** The tenant's active features, by id. */
    public List<FeatureDefinition> features(String tenant) {
        return activeById(tenant, FeatureDefinition.class, FeatureDefinition::active);
    }

    /** A feature of the tenant, active or retired. */
    public Optional<FeatureDefinition> feature(String tenant, String id) {
        return find(tenant, FeatureDefinition.KIND, id, FeatureDefinition.class);
    }

    /** The tenant's active certificate templates, by id. */
    public List<CertificateTemplateDefinition> certificateTemplates(String tenant) {
        return activeById(tenant, CertificateTemplateDefinition.class, CertificateTemplateDefinition::active);
    }

    /** A certificate template of the tenant, active or retired. */
    public Optional<CertificateTemplateDefinition> certificateTemplate(String tenant, String id) {
        return find(tenant, CertificateTemplateDefinition.KIND, id, CertificateTemplateDefinition.class);
    }

    /** The tenant's definitions of one kind that are in force, sorted by id. */
    private <T extends CatalogDefinition> List<T> activeById(String tenant, Class<T> type,
                                                            java.util.function.Predicate<T> active) {
        List<T> list = new ArrayList<>(ofTenant(tenant, type));
        list.removeIf(active.negate());
        list.sort(Comparator.comparing(CatalogDefinition::id));
        return list;
    }

    private <T extends CatalogDefinition> Optional<T> find(String tenant, String kind, String id, Class<T> type) {
        CatalogDefinition d = byKey.get(tenant + "/" + kind + "/" + id);
        return type.isInstance(d) ? Optional.of(type.cast(d)) : Optional.empty();
    }

    private <T extends CatalogDefinition> List<T> ofTenant(String tenant, Class<T> type) {
        Map<String, CatalogDefinition> group = byTenantKind.get(tenant + "/" + kindOf(type));
        if (group == null) {
            return List.of();
        }
        List<T> list = new ArrayList<>(group.size());
        for (CatalogDefinition d : group.values()) {
            if (type.isInstance(d)) {
                list.add(type.cast(d));
            }
        }
        return list;
    }

    private static String kindOf(Class<? extends CatalogDefinition> type) {
        if (type == TenantDefinition.class) {
            return TenantDefinition.KIND;
        } else if (type == ApiKeyDefinition.class) {
            return ApiKeyDefinition.KIND;
        } else if (type == EventTypeDefinition.class) {
            return EventTypeDefinition.KIND;
        } else if (type == RuleDefinition.class) {
            return RuleDefinition.KIND;
        } else if (type == LeaderboardDefinition.class) {
            return LeaderboardDefinition.KIND;
        } else if (type == BadgeDefinition.class) {
            return BadgeDefinition.KIND;
        } else if (type == LevelDefinition.class) {
            return LevelDefinition.KIND;
        } else if (type == ChallengeDefinition.class) {
            return ChallengeDefinition.KIND;
        } else if (type == FeatureDefinition.class) {
            return FeatureDefinition.KIND;
        } else if (type == CertificateTemplateDefinition.class) {
            return CertificateTemplateDefinition.KIND;
        }
        throw new IllegalArgumentException("unknown catalog kind " + type);
    }

    private <T extends CatalogDefinition> List<T> all(Class<T> type) {
        Collection<CatalogDefinition> values = byKey.values();
        return values.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
