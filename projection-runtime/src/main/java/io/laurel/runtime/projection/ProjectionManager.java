package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Owns every projection of a process: starts the live generation of each, answers which schema is live,
 * and runs rebuilds (a new generation filled from offset 0 beside the live one, then an atomic switch).
 */
public final class ProjectionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProjectionManager.class);

    private final Map<String, Projection> projections = new LinkedHashMap<>();
    private final ProjectionStore store;
    private final Producer<String, byte[]> producer;
    private final Map<String, Object> consumerBase;
    private final String groupPrefix;
    private final DeadLetters deadLetters;
    private final ProjectionRunner.Retry retry;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<UUID, Rebuild> rebuilds = new ConcurrentHashMap<>();
    private final String instanceId;
    private final Map<String, Integer> helperCount = new ConcurrentHashMap<>();
    private final BrokerView broker;
    private final StatusReports reports;
    private volatile ProjectionRunner.MemberRelease memberRelease;
    private volatile boolean started;
    /** Who runs this process's rebuilds, in the rebuilds table: the instance id, else one of its own. */
    private final String owner;
    private java.util.concurrent.ScheduledExecutorService follower;
    /** How often every instance looks at the group's state in PostgreSQL (a switch, a rebuild switching). */
    static final Duration FOLLOW_EVERY = Duration.ofMillis(500);

    /** The live runner of one projection, and its rebuild in progress, if any. */
    static final class Slot {
        final Projection projection;
        volatile ProjectionRunner live;
        volatile Rebuild rebuild;
        /** The live runner stopped for another instance's switch (its old generation must stop everywhere). */
        volatile boolean paused;
        /** A rebuild under way on another instance, as last read by {@link #follow()} (null: none). */
        volatile RebuildView elsewhere;

        Slot(Projection projection) {
            this.projection = projection;
        }
    }

    /** Records waiting beyond which a consuming projection is {@code catching_up} rather than {@code running}. */
    static final long CATCHING_UP_LAG = 2_000;

    /**
     * The status API.md names, from a runner's state: {@code assigning} (no partition held yet),
     * {@code catching_up} (more than {@value #CATCHING_UP_LAG} records waiting), {@code running}, {@code outage}
     * (database or broker unreachable, retrying), {@code failed}, {@code stopped}.
     */
    static String status(String runnerState, boolean holdsPartitions, long lag) {
        return switch (runnerState) {
            case "failed", "stopped" -> runnerState;
            case "retrying" -> "outage";
            default -> !holdsPartitions ? "assigning" : lag > CATCHING_UP_LAG ? "catching_up" : "running";
        };
    }

    /** Records a rebuilding generation takes per poll (and per transaction). */
    static final int REBUILD_POLL_RECORDS = 10_000;

    public ProjectionManager(List<Projection> projections, ProjectionStore store, Producer<String, byte[]> producer,
                             Map<String, Object> consumerBase, String groupPrefix, ProjectionRunner.Retry retry) {
        this(projections, store, producer, consumerBase, groupPrefix, retry, null);
    }

    /**
     * @param instanceId what tells this process apart from every other instance of the service, stable across its
     *                   restarts (null: dynamic group members). Each consumer is then a static member,
     *                   {@code <instanceId>.<projection>.g<generation>}, and a restart first removes the member its
     *                   dead predecessor left in the group, so it holds its partitions again at once instead of
     *                   after the group's session timeout.
     */
    public ProjectionManager(List<Projection> projections, ProjectionStore store, Producer<String, byte[]> producer,
                             Map<String, Object> consumerBase, String groupPrefix, ProjectionRunner.Retry retry,
                             String instanceId) {
        for (Projection p : projections) {
            ProjectionStore.checkName(p.name());
            if (this.projections.put(p.name(), p) != null) {
                throw new IllegalArgumentException("two projections are named " + p.name());
            }
        }
        this.store = store;
        this.producer = producer;
        this.consumerBase = Map.copyOf(consumerBase);
        this.groupPrefix = groupPrefix;
        this.deadLetters = new DeadLetters(producer);
        this.retry = retry;
        this.instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.trim();
        this.reports = new StatusReports(store.dataSource());
        this.broker = new BrokerView(String.valueOf(consumerBase.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)));
        this.memberRelease = broker::releaseMember;
        this.owner = this.instanceId != null ? this.instanceId
                : "process-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public synchronized void start() throws SQLException {
        if (started) {
            return;
        }
        store.initialize();
        for (Projection p : projections.values()) {
            int generation = store.ensureLive(p);
            Slot slot = new Slot(p);
            slot.live = runner(p, generation, new ReplayPolicy.Live(), null);
            slots.put(p.name(), slot);
            if (store.switchingTo(p.name()).filter(g -> g > generation).isPresent()) {
                // another instance is switching it: the old generation's offsets must stay final; follow() starts
                // the new generation once it is live, or this one again should the switch not happen
                slot.paused = true;
                log.info("projection {}: another instance is switching it; generation {} waits", p.name(), generation);
            } else {
                slot.live.start();
                log.info("projection {} live at generation {}", p.name(), generation);
            }
        }
        // this instance's own rebuilds (it restarted), and those of instances gone for good, go on from where they
        // were; never one another live instance is running
        for (ProjectionStore.RebuildRow row : store.unfinishedRebuilds(owner)) {
            takeOver(row);
        }
        follower = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "projection-follower");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(this::follow, FOLLOW_EVERY.toMillis(), FOLLOW_EVERY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        started = true;
    }

    /**
     * Follows what other instances did to the group's projections (ARCHITECTURE.md, "Many instances, one truth"):
     * a generation another instance made live is made live here too; while another instance switches a
     * rebuild, this instance's runner of the old generation stops (the switch needs that generation's final
     * offsets), and it starts again should the switch not happen.
     */
    void follow() {
        takeOverAbandoned();
        report();
        for (Slot slot : slots.values()) {
            String name = slot.projection.name();
            try {
                Rebuild mine = slot.rebuild;
                if (mine != null && mine.isActive()) {
                    slot.elsewhere = null;
                    continue; // this instance runs the rebuild: it switches itself
                }
                slot.elsewhere = store.activeRebuild(name).orElse(null);
                int live = store.liveGeneration(name).orElse(slot.live.generation());
                if (live != slot.live.generation()) {
                    ProjectionRunner old = slot.live;
                    old.stop(Duration.ofSeconds(30));
                    ProjectionRunner next = runner(slot.projection, live, new ReplayPolicy.Live(), null);
                    replaceLive(slot, next);
                    next.start();
                    slot.paused = false;
                    log.info("projection {}: generation {} made live by another instance; following it (was {})", name,
                            live, old.generation());
                    continue;
                }
                // only while its owner is alive: a dead owner's switch is abandoned, and this instance goes on
                Optional<Integer> target = store.switchingTo(name).filter(g -> g > live);
                boolean switching = target.isPresent();
                if (switching && !slot.paused) {
                    slot.paused = true;
                    slot.live.stop(Duration.ofSeconds(30));
                    log.info("projection {}: another instance switches to generation {}; generation {} stopped here",
                            name, target.get(), live);
                } else if (!switching && slot.paused) {
                    ProjectionRunner again = runner(slot.projection, live, new ReplayPolicy.Live(), null);
                    replaceLive(slot, again);
                    again.start();
                    slot.paused = false;
                    log.info("projection {}: the switch did not happen; generation {} runs here again", name, live);
                }
            } catch (Exception e) {
                log.debug("projection {}: group state not read: {}", name, e.toString());
            }
        }
    }

    private long lastAbandonedCheck;
    private long lastReport;
    private volatile List<ProjectionStatus> lastStatus = List.of();

    /**
     * This instance's status of its projections as last reported (every {@link StatusReports#EVERY}), without a
     * broker or database round trip: what the metrics read.
     */
    public List<ProjectionStatus> lastStatus() {
        return lastStatus;
    }

    /** Every {@link StatusReports#EVERY}: this instance's status, for the other instances to answer with. */
    private void report() {
        long now = System.nanoTime();
        if (now - lastReport < StatusReports.EVERY.toNanos()) {
            return;
        }
        lastReport = now;
        try {
            List<ProjectionStatus> statuses = status();
            lastStatus = statuses;
            reports.report(owner, statuses);
        } catch (Exception e) {
            log.debug("projection status not reported: {}", e.toString());
        }
    }

    /**
     * The status of every projection of the platform, as {@code GET /v1/ops/projections} answers it through any
     * instance of any service: this instance's own, merged with what the other instances reported in the last
     * {@link StatusReports#FRESH} (their partitions, and the projections of the other services).
     */
    public List<ProjectionStatus> platformStatus() {
        List<ProjectionStatus> local = status();
        try {
            return StatusReports.merge(local, reports.others(owner));
        } catch (Exception e) {
            log.debug("other instances' status not read: {}", e.toString());
            return local;
        }
    }

    /**
     * Every few seconds: a rebuild whose owner went away (no heartbeat for the owner timeout) is taken over by
     * whichever instance of the service claims it first, and goes on from the offsets its generation stored.
     */
    private void takeOverAbandoned() {
        long now = System.nanoTime();
        if (now - lastAbandonedCheck < java.util.concurrent.TimeUnit.SECONDS.toNanos(5)) {
            return;
        }
        lastAbandonedCheck = now;
        try {
            for (ProjectionStore.RebuildRow row : store.abandonedRebuilds()) {
                takeOver(row);
            }
        } catch (Exception e) {
            log.debug("abandoned rebuilds not checked: {}", e.toString());
        }
    }

    /**
     * Takes up a rebuild of one of this service's projections that its owner left: claimed in PostgreSQL (one
     * instance wins), then either finished (its switch had committed: the new generation is live already) or
     * resumed from the offsets its generation stored, switching as it was asked to.
     */
    synchronized void takeOver(ProjectionStore.RebuildRow left) throws SQLException {
        Slot slot = slots.get(left.name());
        Rebuild mine = rebuilds.get(left.id());
        if (slot == null || (mine != null && mine.isActive()) || (slot.rebuild != null && slot.rebuild.isActive())) {
            return;
        }
        Optional<ProjectionStore.RebuildRow> claimed = store.takeOver(left.id(), owner);
        if (claimed.isEmpty()) {
            return; // another instance was quicker, or it ended meanwhile
        }
        ProjectionStore.RebuildRow row = claimed.get();
        int live = store.liveGeneration(row.name()).orElse(slot.live.generation());
        if (live == row.generation()) {
            // its owner died after the switch committed: what is left is dropping the old generation
            store.dropGenerationsBelow(row.name(), live);
            store.recordRebuild(row.id(), row.name(), row.generation(), "completed", row.startedAt(), Instant.now(),
                    row.records(), null);
            log.warn("rebuild {} of {}: its instance went away after the switch; generation {} is live, older ones"
                    + " dropped", row.id(), row.name(), live);
            return;
        }
        if (live > row.generation()) {
            store.dropGeneration(row.name(), row.generation());
            store.recordRebuild(row.id(), row.name(), row.generation(), "failed", row.startedAt(), Instant.now(),
                    row.records(), "superseded by generation " + live);
            return;
        }
        log.warn("rebuild {} of {}: its instance went away ({}); taking it over at generation {} from its stored"
                + " offsets", row.id(), row.name(), row.status(), row.generation());
        if (slot.paused) {
            // paused here for the switch its old owner had begun: that switch starts over, the live one goes on
            ProjectionRunner again = runner(slot.projection, live, new ReplayPolicy.Live(), null);
            replaceLive(slot, again);
            again.start();
            slot.paused = false;
        }
        Rebuild rebuild = Rebuild.resume(this, slot, row);
        slot.rebuild = rebuild;
        rebuilds.put(rebuild.id(), rebuild);
        rebuild.start();
    }

    /** This instance's name in the rebuilds table (and in other group-wide jobs' tables). */
    public String owner() {
        return owner;
    }

    /** Whether any instance still consumes {@code generation} of {@code name} (its consumer group has members). */
    boolean consumed(String name, int generation) {
        try {
            return broker.hasMembers(groupPrefix + "." + name + ".g" + generation);
        } catch (Exception e) {
            log.debug("members of generation {} of {} unknown: {}", generation, name, e.toString());
            return true; // not known to be gone: wait (and give up at the deadline)
        }
    }

    /**
     * How many consumers fill a generation being rebuilt: one per partition of its largest topic, at most twice
     * the processors (and at least one); {@code laurel.rebuild.parallelism} (system property) overrides it.
     */
    int rebuildParallelism(Projection p) {
        String configured = System.getProperty("laurel.rebuild.parallelism");
        if (configured != null) {
            return Math.max(1, Integer.parseInt(configured.trim()));
        }
        int partitions = 1;
        try {
            for (String topic : p.topics()) {
                partitions = Math.max(partitions, broker.partitions(topic).size());
            }
        } catch (Exception e) {
            log.warn("partitions of {} unknown ({}); rebuilding with one consumer", p.topics(), e.toString());
            return 1;
        }
        return Math.max(1, Math.min(partitions, 2 * Runtime.getRuntime().availableProcessors()));
    }

    ProjectionRunner runner(Projection p, int generation, ReplayPolicy policy,
                            Supplier<Map<TopicPartition, Long>> holdAt) {
        return runner(p, generation, policy, holdAt, false);
    }

    /** A runner of a generation's group: its main consumer, or (helper) one more that shares its partitions. */
    ProjectionRunner runner(Projection p, int generation, ReplayPolicy policy,
                            Supplier<Map<TopicPartition, Long>> holdAt, boolean helper) {
        Map<String, Object> config = new HashMap<>(consumerBase);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + "." + p.name() + ".g" + generation);
        if (instanceId != null) {
            String member = instanceId + "." + p.name() + ".g" + generation;
            if (helper) {
                member += ".h" + helperCount.merge(p.name() + ".g" + generation, 1, Integer::sum);
            }
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, member);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // larger batches spread each batch's fixed costs (transaction, offsets, side-effect acknowledgements)
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        if (policy instanceof ReplayPolicy.Rebuilding) {
            // a rebuild always finds records waiting: fewer, larger batches (one transaction each) and larger
            // fetches; the runner goes on live after the switch, where a poll returns what there is at once
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, REBUILD_POLL_RECORDS);
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
            config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        }
        return new ProjectionRunner(p, generation, store.dataSource(), producer, config, deadLetters, retry, policy,
                holdAt, memberRelease);
    }

    /** How a runner frees its instance id before joining (tests replace it to make the removal fail). */
    void memberRelease(ProjectionRunner.MemberRelease release) {
        this.memberRelease = release;
    }

    public List<Projection> projections() {
        return List.copyOf(projections.values());
    }

    public Optional<Projection> projection(String name) {
        return Optional.ofNullable(projections.get(name));
    }

    /** The schema queries should read for {@code name}: the live generation's. */
    public String liveSchema(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalStateException("projection " + name + " is not running");
        }
        return ProjectionStore.schemaOf(name, slot.live.generation());
    }

    public int liveGeneration(String name) {
        return slots.get(name).live.generation();
    }

    public ProjectionStore store() {
        return store;
    }

    public List<ProjectionStatus> status() {
        List<ProjectionStatus> list = new ArrayList<>();
        for (Slot slot : slots.values()) {
            ProjectionRunner r = slot.live;
            Rebuild rebuild = slot.rebuild;
            // a rebuild under way is reported beside (rebuild): the status is the live generation's own
            List<ProjectionStatus.PartitionStatus> partitions = r.partitions();
            // holding no partition (assigning, or after a crash): what waits is measured from the offsets stored
            // with the read model, never reported as 0 while records wait; a broker that cannot be asked is an outage
            long lag = r.lag();
            String state = status(r.state(), !partitions.isEmpty(), lag);
            if (partitions.isEmpty()) {
                java.util.OptionalLong stored = storedLag(slot.projection, r.generation());
                if (stored.isPresent()) {
                    lag = stored.getAsLong();
                } else if (!state.equals("failed") && !state.equals("stopped")) {
                    state = "outage";
                }
            }
            // under way on another instance: as its owner last reported it (read in the background: a status
            // answers without the database)
            RebuildView rebuildView = rebuild != null && rebuild.isActive() ? rebuild.view()
                    : slot.elsewhere != null ? slot.elsewhere : rebuild == null ? null : rebuild.view();
            list.add(new ProjectionStatus(slot.projection.name(), slot.projection.service(), r.generation(), lag, state, partitions,
                    r.processed(), r.deadLettered(), rebuildView));
        }
        return list;
    }

    private java.util.OptionalLong storedLag(Projection p, int generation) {
        try {
            Map<TopicPartition, Long> ends = broker.latest(p.topics());
            Map<TopicPartition, Long> stored = store.offsets(p.name(), generation);
            long lag = 0;
            for (var e : ends.entrySet()) {
                lag += Math.max(0, e.getValue() - stored.getOrDefault(e.getKey(), 0L));
            }
            return java.util.OptionalLong.of(lag);
        } catch (Exception e) {
            log.debug("lag of {} from its stored offsets unknown: {}", p.name(), e.toString());
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Starts rebuilding {@code name} into a new generation. With {@code autoSwitch}, the new generation
     * is made live as soon as it has caught up; otherwise it waits, caught up, for {@link #switchRebuild}.
     *
     * @throws IllegalStateException when a rebuild of that projection is already under way
     */
    public synchronized RebuildView startRebuild(String name, boolean autoSwitch) throws SQLException {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("no projection named " + name);
        }
        if (slot.rebuild != null && slot.rebuild.isActive()) {
            throw new IllegalStateException("projection " + name + " is already being rebuilt by " + slot.rebuild.id());
        }
        UUID id = UUID.randomUUID();
        Instant startedAt = Instant.now();
        // one rebuild of a projection for the whole group: claimed in PostgreSQL, with the next generation
        int generation = store.claimRebuild(id, name, owner, startedAt, autoSwitch);
        Rebuild rebuild = new Rebuild(this, slot, id, generation, autoSwitch, startedAt);
        slot.rebuild = rebuild;
        rebuilds.put(rebuild.id(), rebuild);
        rebuild.start();
        return rebuild.view();
    }

    /** A rebuild run here, else as its owner last reported it (or as it ended) in PostgreSQL. */
    public Optional<RebuildView> rebuild(UUID id) throws SQLException {
        Rebuild r = rebuilds.get(id);
        // run here right now; else (another instance's, or ended here: the row holds the same) as stored
        return r != null && r.isActive() ? Optional.of(r.view()) : store.findRebuild(id);
    }

    /** Makes a rebuild that waits for a manual switch live, whichever instance runs it. */
    public RebuildView switchRebuild(UUID id) throws SQLException {
        return ask(id, false);
    }

    public RebuildView cancelRebuild(UUID id) throws SQLException {
        return ask(id, true);
    }

    private RebuildView ask(UUID id, boolean cancel) throws SQLException {
        Rebuild r = rebuilds.get(id);
        if (r != null && r.isActive()) {
            if (cancel) {
                r.cancel();
            } else {
                r.requestSwitch();
            }
            return r.view();
        }
        // run by another instance: it reads the request with its next heartbeat
        if (!store.request(id, cancel)) {
            throw new IllegalArgumentException("no rebuild " + id + " is under way");
        }
        return store.findRebuild(id).orElseThrow(() -> new IllegalArgumentException("no rebuild " + id));
    }

    /** Called by a rebuild once its generation is live. */
    void replaceLive(Slot slot, ProjectionRunner newLive) {
        slot.live = newLive;
    }

    @Override
    public synchronized void close() {
        if (follower != null) {
            follower.shutdownNow();
        }
        // rebuilds under way are left for an instance to take over (this one restarting takes up its own), not ended
        for (Rebuild r : rebuilds.values()) {
            r.release();
        }
        for (Rebuild r : rebuilds.values()) {
            try {
                if (!r.awaitEnd(Duration.ofSeconds(60))) {
                    log.warn("rebuild {} did not stop within 60 s", r.id());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Slot slot : slots.values()) {
            slot.live.stop(Duration.ofSeconds(30));
        }
        broker.close();
        started = false;
    }
}
