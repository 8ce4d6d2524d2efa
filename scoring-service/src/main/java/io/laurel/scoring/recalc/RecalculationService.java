package io.laurel.scoring.recalc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.Ids;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.projection.Rate;
import io.laurel.scoring.points.ScoringProjection;
import io.laurel.scoring.rule.CapKey;
import io.laurel.scoring.rule.CapUsage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs recalculations (decision 0020): the dry run reads the tenant's events from {@code laurel.events} up to
 * the log's end when it starts, once the live scoring projection has scored that far, and compares what the
 * rules in effect now give each event with what the live journal holds for it; {@code apply} appends one
 * {@code points.recalculated} event per changed event, which the scoring projection folds into adjusted
 * entries like any other event (exactly once: their ids derive from the recalculation and the event), and
 * waits until it has. State lives in PostgreSQL; a dry run interrupted by a stop starts again, an apply
 * resumes where it stopped.
 */
public final class RecalculationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecalculationService.class);

    private final RecalculationStore store;
    private final ProjectionManager projections;
    private final CatalogView catalog;
    private final TopicRegistry topics;
    private final Producer<String, byte[]> producer;
    private final String bootstrapServers;
    private final int applyChunk;
    /** Adjustments an apply posts per second at most; 0: as fast as the broker takes them. */
    private final double applyRate;
    private final java.util.concurrent.ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recalculation-beat");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("laurel-recalculation-", 0).daemon().factory());
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** What this instance knows of a recalculation it is running, between the writes to the store. */
    static final class Live {
        final Rate rate = new Rate(3_000_000_000L);
        volatile long recordsTotal;
        volatile long recordsRead;
        volatile long eventsScanned;
        volatile boolean cancelled;
        volatile Future<?> task;
    }

    public RecalculationService(RecalculationStore store, ProjectionManager projections, CatalogView catalog,
                                TopicRegistry topics, Producer<String, byte[]> producer, LaurelProperties props,
                                int applyChunk, double applyRate) {
        if (applyChunk < 1) {
            throw new IllegalArgumentException("laurel.recalculation.apply-chunk must be positive");
        }
        if (!(applyRate >= 0) || Double.isInfinite(applyRate)) {
            throw new IllegalArgumentException("laurel.recalculation.apply-rate must be 0 (no limit) or a positive"
                    + " number of adjustments per second, not " + applyRate);
        }
        this.applyChunk = applyChunk;
        this.applyRate = applyRate;
        this.store = store;
        this.projections = projections;
        this.catalog = catalog;
        this.topics = topics;
        this.producer = producer;
        this.bootstrapServers = props.getKafka().getBootstrapServers();
    }

    /**
     * Creates the tables and takes up what a stop interrupted: this instance's own dry runs start again and its
     * applies resume, as do those of instances gone away (no heartbeat for 15 s), never one another instance runs.
     * Then, once a second, it beats for what it runs, and every few seconds takes over what a vanished one left.
     */
    public void start() throws SQLException {
        store.initialize();
        takeOver(true);
        beats.scheduleWithFixedDelay(() -> {
            try {
                store.beat(owner());
            } catch (Exception e) {
                log.debug("recalculation heartbeat not written: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
        beats.scheduleWithFixedDelay(() -> {
            try {
                takeOver(false);
            } catch (Exception e) {
                log.debug("abandoned recalculations not checked: {}", e.toString());
            }
        }, 5, 5, TimeUnit.SECONDS);
    }

    private void takeOver(boolean restarted) throws SQLException {
        for (RecalculationStore.Row row : store.takeOver(owner(), restarted)) {
            if (live.containsKey(row.id()) && !restarted) {
                continue; // already running here
            }
            if (row.status().equals("running")) {
                log.info("recalculation {} of tenant {} was interrupted ({}); its dry run starts again here", row.id(),
                        row.tenant(), restarted ? "a stop" : "its instance went away");
                submitDryRun(row.id(), row.tenant(), window(row));
            } else {
                log.info("recalculation {} of tenant {} was interrupted while applying ({}); resuming here after entry {}",
                        row.id(), row.tenant(), restarted ? "a stop" : "its instance went away", row.entriesApplied());
                submitApply(row.id(), row.tenant());
            }
        }
    }

    /** This instance's name in the recalculations table (the projection manager's). */
    private String owner() {
        return projections.owner();
    }

    static Recalculator.Window window(RecalculationStore.Row row) {
        return new Recalculator.Window(row.from(), row.to(),
                row.eventTypes() == null ? null : Set.copyOf(row.eventTypes()),
                row.userIds() == null ? null : Set.copyOf(row.userIds()));
    }

    /** Thrown when the tenant already has a recalculation running, ready or applying. */
    public static final class InProgressException extends Exception {
        InProgressException(String message) {
            super(message);
        }
    }

    /** Thrown by apply when the journal of the window or the rules changed after the dry run. */
    public static final class StaleException extends Exception {
        StaleException(String message) {
            super(message);
        }
    }

    /** Thrown when an operation does not fit the recalculation's status. */
    public static final class WrongStatusException extends Exception {
        WrongStatusException(String message) {
            super(message);
        }
    }

    public RecalculationStore.Row startDryRun(String tenant, Recalculator.Window window)
            throws SQLException, InProgressException {
        UUID id = Ids.timeOrdered();
        if (!store.insert(id, tenant, window, Instant.now(), rulesFingerprint(tenant), owner())) {
            String open = store.list(tenant, 20).stream().filter(r -> RecalculationStore.OPEN.contains(r.status()))
                    .map(r -> r.id() + " (" + r.status() + ")").findFirst().orElse("another one");
            throw new InProgressException("Recalculation " + open + " of this tenant is not finished: apply or discard"
                    + " it (DELETE /v1/ops/recalculations/{id}) first.");
        }
        submitDryRun(id, tenant, window);
        return store.find(tenant, id).orElseThrow();
    }

    public Optional<RecalculationStore.Row> find(String tenant, UUID id) throws SQLException {
        return store.find(tenant, id);
    }

    public List<RecalculationStore.Row> list(String tenant, int limit) throws SQLException {
        return store.list(tenant, limit);
    }

    /** How many recalculations this instance is running (dry runs and applies). */
    public int running() {
        return live.size();
    }

    /**
     * The share done of what this instance's recalculations under way have to do (records to read in a dry run, entries to
     * post in an apply), 0 to 1; NaN when none is under way.
     */
    public double progress() {
        long total = 0;
        long read = 0;
        for (Live l : live.values()) {
            total += l.recordsTotal;
            read += Math.min(l.recordsRead, l.recordsTotal);
        }
        return total == 0 ? Double.NaN : (double) read / total;
    }

    /** What this instance knows of a running one (progress between the store's updates), or null. */
    Live live(UUID id) {
        return live.get(id);
    }

    List<RecalculationStore.UserChange> changes(UUID id, RecalculationStore.Sort sort, boolean descending, int offset,
                                                Integer limit) throws SQLException {
        return store.changes(id, sort, descending, offset, limit);
    }

    long countChanges(UUID id) throws SQLException {
        return store.countChanges(id);
    }

    /** Discards a recalculation that is not applied: a running dry run stops. */
    public RecalculationStore.Row discard(String tenant, UUID id) throws SQLException, WrongStatusException {
        RecalculationStore.Row row = store.find(tenant, id).orElseThrow();
        switch (row.status()) {
            case "running", "ready" -> {
                if (!store.transition(id, row.status(), "cancelled", null)) {
                    return discard(tenant, id); // it changed meanwhile
                }
                Live l = live.get(id);
                if (l != null) {
                    l.cancelled = true;
                }
                store.discardResults(id);
            }
            case "applying", "applied" -> throw new WrongStatusException("Recalculation " + id + " is " + row.status()
                    + ": its adjustments are (being) posted to the journal and cannot be discarded.");
            default -> {
                // cancelled or failed: nothing left to discard
            }
        }
        return store.find(tenant, id).orElseThrow();
    }

    /**
     * Starts applying a ready recalculation; applying or applied already: nothing more is posted. A dry run
     * whose window's journal or rules changed since is stale: it is cancelled and refused.
     */
    public RecalculationStore.Row apply(String tenant, UUID id) throws SQLException, WrongStatusException, StaleException {
        RecalculationStore.Row row = store.find(tenant, id).orElseThrow();
        switch (row.status()) {
            case "applying", "applied" -> {
                return row;
            }
            case "ready" -> {
            }
            default -> throw new WrongStatusException("Recalculation " + id + " is " + row.status()
                    + "; only a ready one (its dry run finished) can be applied.");
        }
        String stale = staleness(row);
        if (stale != null) {
            if (!store.transition(id, "ready", "cancelled", "stale: " + stale)) {
                return apply(tenant, id); // applied (or discarded) meanwhile by another call: answer as that one
            }
            store.discardResults(id);
            throw new StaleException(stale + " after its dry run; it has been discarded: start a new one.");
        }
        if (!store.startApplying(id, owner())) {
            return apply(tenant, id);
        }
        submitApply(id, tenant);
        return store.find(tenant, id).orElseThrow();
    }

    /** Why a ready recalculation no longer matches the journal, or null. */
    private String staleness(RecalculationStore.Row row) throws SQLException {
        if (!rulesFingerprint(row.tenant()).equals(row.rules())) {
            return "The tenant's rules changed";
        }
        // a remove revoked, or another recalculation adjusted, an event of the window
        String s = projections.liveSchema(ScoringProjection.NAME);
        Recalculator.Window w = window(row);
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM " + s + ".ledger WHERE tenant = ?"
                + " AND (kind = 'revoked' OR (kind = 'adjusted' AND recalculation IS NOT NULL)) AND recorded_at >= ?");
        List<Object> args = new ArrayList<>(List.of(row.tenant(), Timestamp.from(row.createdAt())));
        windowSql(w, "", sql, args);
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                if (n > 0) {
                    return "The journal of its window changed (" + n + " entries revoked or adjusted)";
                }
            }
        }
        // events scored since by a rule with a cap or a once-per-user limit used what the adjustments assumed free
        String[] limited = catalog.rules(row.tenant()).stream().filter(r -> r.cap() != null || r.oncePerUser())
                .map(RuleDefinition::id).toArray(String[]::new);
        if (limited.length == 0) {
            return null;
        }
        StringBuilder capped = new StringBuilder("SELECT count(*) FROM " + s + ".ledger WHERE tenant = ?"
                + " AND kind = 'awarded' AND rule_id = ANY(?) AND recorded_at >= ?");
        List<Object> cappedArgs = new ArrayList<>(List.of(row.tenant(), limited, Timestamp.from(row.createdAt())));
        windowSql(w, "", capped, cappedArgs);
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(capped.toString())) {
            bind(c, ps, cappedArgs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                return n == 0 ? null : n + " events of its window were scored since by rules with a cap or a"
                        + " once-per-user limit";
            }
        }
    }

    /**
     * The conditions that keep ledger rows (columns prefixed {@code p}) to the rule-scored entries of the window:
     * no system type, {@code occurred_at} in it, its event types and users.
     */
    private static void windowSql(Recalculator.Window w, String p, StringBuilder sql, List<Object> args) {
        sql.append(" AND coalesce(").append(p).append("event_type, '') <> ALL(?)");
        args.add(SystemTypes.ALL.toArray(new String[0]));
        if (w.from() != null) {
            sql.append(" AND ").append(p).append("occurred_at >= ?");
            args.add(Timestamp.from(w.from()));
        }
        if (w.to() != null) {
            sql.append(" AND ").append(p).append("occurred_at < ?");
            args.add(Timestamp.from(w.to()));
        }
        if (w.eventTypes() != null) {
            sql.append(" AND ").append(p).append("event_type = ANY(?)");
            args.add(w.eventTypes().toArray(new String[0]));
        }
        if (w.userIds() != null) {
            sql.append(" AND ").append(p).append("user_id = ANY(?)");
            args.add(w.userIds().toArray(new String[0]));
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof String[] array) {
                ps.setArray(i + 1, c.createArrayOf("text", array));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** A digest of the tenant's rules (every id, version and whether active). */
    String rulesFingerprint(String tenant) {
        StringBuilder b = new StringBuilder();
        catalog.rules(tenant).stream().sorted(java.util.Comparator.comparing(RuleDefinition::id))
                .forEach(r -> b.append(r.id()).append(':').append(r.version()).append(':').append(r.active()).append(';'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void submitDryRun(UUID id, String tenant, Recalculator.Window window) {
        Live l = new Live();
        live.put(id, l);
        l.task = workers.submit(() -> {
            try {
                dryRun(id, tenant, window, l);
            } catch (Exception | OutOfMemoryError e) {
                if (l.cancelled || closed) {
                    log.info("recalculation {} stopped: {}", id, l.cancelled ? "discarded" : "the service stops");
                } else {
                    log.error("recalculation {} of tenant {} failed", id, tenant, e);
                    try {
                        store.transition(id, "running", "failed", String.valueOf(e.getMessage()));
                        store.discardResults(id);
                    } catch (SQLException s) {
                        log.warn("could not record the failure of recalculation {}: {}", id, s.toString());
                    }
                }
            } finally {
                live.remove(id);
            }
        });
    }

    private void checkRunning(Live l) throws InterruptedException {
        if (l.cancelled || closed || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("stopped");
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1 << 20);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void dryRun(UUID id, String tenant, Recalculator.Window window, Live l) throws Exception {
        String topic = topics.events().name();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(partitions);
            // the end of the log now: later events were scored by the rules in effect now already
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> begins = c.beginningOffsets(partitions, Duration.ofSeconds(30));
            long total = 0;
            for (TopicPartition tp : partitions) {
                total += ends.get(tp) - begins.get(tp);
            }
            l.recordsTotal = total;
            awaitScored(ends, l);
            String schema = projections.liveSchema(ScoringProjection.NAME);
            ZoneId zone = catalog.tenant(tenant).map(TenantDefinition::zone).orElse(ZoneOffset.UTC);
            try (Connection db = store.dataSource().getConnection()) {
                Map<String, Recalculator.JournalEvent> journal = journal(db, schema, tenant, window);
                checkRunning(l);
                Map<String, List<RuleDefinition>> rules = new HashMap<>();
                Recalculator recalculator = new Recalculator(tenant, window,
                        type -> rules.computeIfAbsent(type, t -> catalog.rulesFor(tenant, t)), zone, journal,
                        key -> capSeed(db, schema, key, window, zone));
                scan(c, partitions, ends, tenant, recalculator, l, id);
                List<Recalculator.EventChange> changes = recalculator.changes();
                Map<List<String>, long[]> perUser = Recalculator.perUser(changes);
                Map<List<String>, Long> earned = earned(db, schema, tenant, perUser.keySet());
                List<RecalculationStore.UserChange> users = new ArrayList<>();
                Map<String, long[]> totals = new TreeMap<>();
                long entries = 0;
                for (Recalculator.EventChange e : changes) {
                    entries += e.byCurrency().size();
                }
                for (var e : perUser.entrySet()) {
                    long delta = e.getValue()[1] - e.getValue()[0];
                    if (delta == 0) {
                        continue;
                    }
                    long before = earned.getOrDefault(e.getKey(), 0L);
                    users.add(new RecalculationStore.UserChange(e.getKey().get(0), e.getKey().get(1), before, before + delta));
                    long[] t = totals.computeIfAbsent(e.getKey().get(1), k -> new long[2]);
                    if (delta > 0) {
                        t[0] += delta;
                    } else {
                        t[1] -= delta;
                    }
                }
                checkRunning(l);
                if (store.ready(id, total, recalculator.eventsScanned(), changes, users,
                        RecalculationStore.totalsJson(totals), entries)) {
                    log.info("recalculation {} of tenant {} ready: {} events scanned, {} changed, {} users", id, tenant,
                            recalculator.eventsScanned(), changes.size(), users.size());
                }
            }
        }
    }

    /**
     * Waits until the live scoring projection has scored the log up to {@code ends}, so the journal holds
     * every event the scan will read. Its stored offsets stop after the last record; transaction markers
     * after it are not records, so a partition whose stored offset is short of the end is checked for
     * records in between.
     */
    private void awaitScored(Map<TopicPartition, Long> ends, Live l) throws Exception {
        while (true) {
            checkRunning(l);
            Map<TopicPartition, Long> stored = projections.store().offsets(ScoringProjection.NAME,
                    projections.liveGeneration(ScoringProjection.NAME));
            List<TopicPartition> behind = new ArrayList<>();
            ends.forEach((tp, end) -> {
                if (stored.getOrDefault(tp, 0L) < end) {
                    behind.add(tp);
                }
            });
            if (behind.isEmpty() || onlyMarkers(behind, stored, ends)) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private boolean onlyMarkers(List<TopicPartition> behind, Map<TopicPartition, Long> from,
                                Map<TopicPartition, Long> ends) {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            return onlyMarkers(c, behind, from, ends);
        }
    }

    private static boolean onlyMarkers(KafkaConsumer<String, byte[]> c, List<TopicPartition> behind,
                                       Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        c.assign(behind);
        for (TopicPartition tp : behind) {
            c.seek(tp, from.getOrDefault(tp, 0L));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(100));
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                    return false;
                }
            }
            boolean all = true;
            for (TopicPartition tp : behind) {
                all &= c.position(tp) >= ends.get(tp);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private void scan(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions, Map<TopicPartition, Long> ends,
                      String tenant, Recalculator recalculator, Live l, UUID id) throws Exception {
        String prefix = tenant + "/";
        String topic = topics.events().name();
        List<TopicPartition> open = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (ends.get(tp) > 0) {
                open.add(tp);
            }
        }
        c.assign(open);
        c.seekToBeginning(open);
        long read = 0;
        long lastWrite = System.nanoTime();
        l.rate.observe(System.nanoTime(), 0);
        while (!open.isEmpty()) {
            checkRunning(l);
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
            for (ConsumerRecord<String, byte[]> r : records) {
                long end = ends.get(new TopicPartition(r.topic(), r.partition()));
                if (r.offset() >= end) {
                    continue;
                }
                read++;
                if (r.key() == null || !r.key().startsWith(prefix) || r.value() == null) {
                    continue;
                }
                EventAccepted e;
                try {
                    e = topics.events().valueSerde().deserialize(topic, r.value());
                } catch (RuntimeException unreadable) {
                    continue; // the live projection dead-lettered it: it has no entries to compare with
                }
                if (e != null && e.eventAction() != null) {
                    recalculator.accept(e);
                }
            }
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition tp : open) {
                if (c.position(tp) >= ends.get(tp)) {
                    done.add(tp);
                }
            }
            if (!done.isEmpty()) {
                open.removeAll(done);
                c.pause(done);
            }
            long now = System.nanoTime();
            l.recordsRead = read;
            l.eventsScanned = recalculator.eventsScanned();
            l.rate.observe(now, read);
            if (now - lastWrite > TimeUnit.SECONDS.toNanos(2)) {
                lastWrite = now;
                store.progress(id, l.recordsTotal, read, recalculator.eventsScanned());
            }
        }
        l.recordsRead = l.recordsTotal;
    }

    /** What the journal holds for each rule-scored event of the window: net points per currency and rule. */
    private static Map<String, Recalculator.JournalEvent> journal(Connection db, String schema, String tenant,
                                                                  Recalculator.Window w) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT coalesce(a.event_id, l.event_id), l.user_id, l.currency, l.rule_id,"
                + " sum(l.points), bool_or(l.kind = 'revoked') FROM " + schema + ".ledger l LEFT JOIN " + schema
                + ".ledger a ON l.kind = 'revoked' AND a.entry_id = l.reverses WHERE l.tenant = ?"
                + " AND l.kind IN ('awarded', 'revoked', 'adjusted')");
        List<Object> args = new ArrayList<>(List.of(tenant));
        windowSql(w, "l.", sql, args);
        sql.append(" GROUP BY 1, 2, 3, 4");
        Map<String, Recalculator.JournalEvent> journal = new HashMap<>();
        db.setAutoCommit(false);
        try (PreparedStatement ps = db.prepareStatement(sql.toString())) {
            ps.setFetchSize(10_000);
            bind(db, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String eventId = rs.getString(1);
                    if (eventId == null) {
                        continue;
                    }
                    Recalculator.JournalEvent j = journal.computeIfAbsent(eventId,
                            k -> new Recalculator.JournalEvent(null, new HashMap<>(2), false));
                    j.points().merge(new Recalculator.RuleKey(rs.getString(3), rs.getString(4)), rs.getLong(5), Long::sum);
                    if (rs.getBoolean(6) && !j.revoked()) {
                        journal.put(eventId, new Recalculator.JournalEvent(rs.getString(2), j.points(), true));
                    }
                }
            }
        } finally {
            db.commit();
            db.setAutoCommit(true);
        }
        return journal;
    }

    /**
     * The journal's use of a cap counter by events outside the window: they keep their points and count
     * first. A period that straddles {@code from} (or {@code to}) starts with what the events before (after)
     * the window in it were given.
     */
    private static CapUsage capSeed(Connection db, String schema, CapKey key, Recalculator.Window w, ZoneId zone) {
        // an event counts once against the cap while its net points from the rule are not 0
        StringBuilder sql = new StringBuilder("SELECT coalesce(sum(p), 0), count(*) FILTER (WHERE p <> 0) FROM (SELECT"
                + " coalesce(a.event_id, l.event_id) AS e, sum(l.points) AS p FROM " + schema + ".ledger l LEFT JOIN "
                + schema + ".ledger a ON a.entry_id = l.reverses WHERE l.tenant = ? AND l.user_id = ?"
                + " AND l.rule_id = ? AND l.kind IN ('awarded', 'revoked', 'adjusted')");
        List<Object> args = new ArrayList<>(List.of(key.tenant(), key.userId(), key.ruleId()));
        if (!key.scope().equals(CapKey.ONCE)) {
            io.laurel.events.time.CalendarPeriod period = io.laurel.events.time.CalendarPeriod.parse(
                    key.scope().substring(CapKey.CAP.length() + 1));
            Instant end = period.end(key.periodStart(), zone);
            sql.append(" AND l.occurred_at >= ?");
            args.add(Timestamp.from(key.periodStart()));
            if (!end.equals(Instant.MAX)) {
                sql.append(" AND l.occurred_at < ?");
                args.add(Timestamp.from(end));
            }
        }
        if (w.from() != null && w.to() != null) {
            sql.append(" AND NOT (l.occurred_at >= ? AND l.occurred_at < ?)");
            args.add(Timestamp.from(w.from()));
            args.add(Timestamp.from(w.to()));
        } else if (w.from() != null) {
            sql.append(" AND l.occurred_at < ?");
            args.add(Timestamp.from(w.from()));
        } else if (w.to() != null) {
            sql.append(" AND l.occurred_at >= ?");
            args.add(Timestamp.from(w.to()));
        }
        sql.append(" GROUP BY 1) x");
        try (PreparedStatement ps = db.prepareStatement(sql.toString())) {
            bind(db, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new CapUsage(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<List<String>, Long> earned(Connection db, String schema, String tenant,
                                                  Set<List<String>> keys) throws SQLException {
        Map<List<String>, Long> earned = new HashMap<>();
        if (keys.isEmpty()) {
            return earned;
        }
        String[] users = keys.stream().map(k -> k.get(0)).distinct().toArray(String[]::new);
        try (PreparedStatement ps = db.prepareStatement("SELECT user_id, currency, earned FROM " + schema + ".balances"
                + " WHERE tenant = ? AND user_id = ANY(?)")) {
            ps.setString(1, tenant);
            ps.setArray(2, db.createArrayOf("text", users));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    earned.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        return earned;
    }

    private void submitApply(UUID id, String tenant) {
        Live l = new Live();
        live.put(id, l);
        l.task = workers.submit(() -> {
            try {
                long backoff = 1000;
                while (true) {
                    try {
                        runApply(id, tenant, l);
                        return;
                    } catch (InterruptedException e) {
                        log.info("applying recalculation {} stops with the service; it resumes at the next start", id);
                        return;
                    } catch (Exception e) {
                        if (closed) {
                            log.info("applying recalculation {} stops with the service; it resumes at the next start", id);
                            return;
                        }
                        // the adjustments posted so far stay; it goes on after them (broker or database back)
                        log.warn("applying recalculation {} of tenant {} failed, retrying in {} ms: {}", id, tenant,
                                backoff, e.toString());
                        Thread.sleep(backoff);
                        backoff = Math.min(30_000, backoff * 2);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                live.remove(id);
            }
        });
    }

    private void runApply(UUID id, String tenant, Live l) throws Exception {
        RecalculationStore.Row row = store.find(tenant, id).orElseThrow();
        l.recordsTotal = row.eventsChanged();
        long seq = row.entriesApplied();
        l.recordsRead = seq;
        l.rate.observe(System.nanoTime(), seq);
        String topic = topics.events().name();
        int version = catalog.eventType(tenant, SystemTypes.POINTS_RECALCULATED).map(EventTypeDefinition::version).orElse(1);
        long pacedSince = System.nanoTime();
        long posted = 0;
        while (true) {
            checkRunning(l);
            long pause = pauseNanos(pacedSince, System.nanoTime(), posted, applyRate);
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
                checkRunning(l);
            }
            List<RecalculationStore.Adjustment> chunk = store.adjustments(id, seq, applyChunk);
            if (chunk.isEmpty()) {
                break;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(chunk.size());
            Instant now = Instant.now();
            for (RecalculationStore.Adjustment a : chunk) {
                ObjectNode data = (ObjectNode) a.data();
                data.put("recalculation", id.toString());
                List<String> groups = new ArrayList<>();
                data.path("groups").forEach(g -> groups.add(g.asText()));
                EventAccepted event = new EventAccepted(Ids.derived(id.toString(), a.eventId()).toString(), tenant,
                        SystemTypes.POINTS_RECALCULATED, version, a.userId(), data, EventAction.CREATE, null,
                        a.occurredAt(), now, groups, catalog.position());
                acks.add(producer.send(new ProducerRecord<>(topic, event.key(),
                        topics.events().valueSerde().serialize(topic, event))));
            }
            for (Future<RecordMetadata> f : acks) {
                f.get(60, TimeUnit.SECONDS);
            }
            seq = chunk.get(chunk.size() - 1).seq();
            posted += chunk.size();
            store.applied(id, seq);
            l.recordsRead = seq;
            l.rate.observe(System.nanoTime(), seq);
        }
        // applied once the journal holds them: the scoring projection has read the log past every one posted
        // (those posted before a stop included)
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(partitions);
            awaitScored(c.endOffsets(partitions, Duration.ofSeconds(30)), l);
        }
        store.transition(id, "applying", "applied", null);
        log.info("recalculation {} of tenant {} applied: {} events adjusted", id, tenant, seq);
    }

    /**
     * How long an apply that started posting at {@code startedNanos} and has posted {@code posted} adjustments since
     * waits before its next chunk to stay at {@code perSecond} (0: no limit, no wait).
     */
    static long pauseNanos(long startedNanos, long nowNanos, long posted, double perSecond) {
        if (perSecond <= 0 || posted <= 0) {
            return 0;
        }
        // in double: a tiny rate puts the due time beyond a long's range
        double wait = posted * 1e9 / perSecond - (double) (nowNanos - startedNanos);
        return wait <= 0 ? 0 : wait >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) wait;
    }

    @Override
    public void close() {
        closed = true;
        beats.shutdownNow();
        live.values().forEach(l -> {
            if (l.task != null) {
                l.task.cancel(true);
            }
        });
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the data of an adjustment as it is posted. */
    static JsonNode dataOf(Recalculator.EventChange e) throws Exception {
        return io.laurel.events.json.LaurelJson.mapper().readTree(RecalculationStore.data(e));
    }
}
