package io.laurel.runtime.projection;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One rebuild: fills generation N+1 from offset 0 while generation N keeps serving, never letting N+1
 * get ahead of N. When N+1 has caught up, the switch stops N, lets N+1 reach N's final offsets, makes
 * N+1 live from exactly there (records before it are replay: no side effects), and drops N.
 */
final class Rebuild {
    private static final Logger log = LoggerFactory.getLogger(Rebuild.class);

    private final UUID id;
    private final ProjectionManager manager;
    private final ProjectionManager.Slot slot;
    private final int generation;
    private final int oldGeneration;
    private final boolean autoSwitch;
    private final Instant startedAt;
    /** When the owner last reported to the rebuilds table, for the other instances. */
    private volatile long lastBeat;
    /** The old generation's consumer was given back after the switch had stopped it. */
    private volatile boolean resumed;
    static final Duration BEAT_EVERY = Duration.ofSeconds(1);
    private volatile String status = "running";
    private volatile Instant finishedAt;
    private volatile String error;
    private volatile boolean switchRequested;
    /** How long the old generation's tables outlive the switch, for reads already under way. */
    static final Duration RETIRE_GRACE = Duration.ofSeconds(3);
    private volatile boolean cancelled;
    private volatile double progress;
    private volatile long recordsTotal;
    private volatile long remaining = -1;
    /** Records the new generation folded as a rebuild, frozen when it ends (its runner may go on, live). */
    private volatile long finalRecords = -1;
    private final Rate rate = new Rate(java.util.concurrent.TimeUnit.SECONDS.toNanos(3));
    /** When the new generation counts as caught up, and as ready (see {@link CatchUp}); used by the rebuild's thread. */
    private final CatchUp catchUp = new CatchUp();
    private volatile ProjectionRunner runner;
    /** Further consumers of the new generation while it catches up (see {@link ProjectionManager#rebuildParallelism}). */
    private final List<ProjectionRunner> helpers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What stopped helpers folded. */
    private volatile long helpersProcessed;
    private boolean indexed;
    /** Taken over from an instance that went away: its generation and stored offsets are where it left them. */
    private final boolean takenOver;
    /** The row is no longer this instance's (another took it over), or this instance shuts down: stop, end nothing. */
    private volatile boolean released;

    Rebuild(ProjectionManager manager, ProjectionManager.Slot slot, UUID id, int generation, boolean autoSwitch,
            Instant startedAt) {
        this.id = id;
        this.startedAt = startedAt;
        this.manager = manager;
        this.slot = slot;
        this.generation = generation;
        this.oldGeneration = slot.live.generation();
        this.autoSwitch = autoSwitch;
        this.takenOver = false;
    }

    private Rebuild(ProjectionManager manager, ProjectionManager.Slot slot, ProjectionStore.RebuildRow row) {
        this.id = row.id();
        this.startedAt = row.startedAt();
        this.manager = manager;
        this.slot = slot;
        this.generation = row.generation();
        this.oldGeneration = slot.live.generation();
        this.autoSwitch = row.autoSwitch();
        this.takenOver = true;
        this.helpersProcessed = row.records();
    }

    /** A rebuild another instance left, to go on with here (see {@link ProjectionManager#takeOver}). */
    static Rebuild resume(ProjectionManager manager, ProjectionManager.Slot slot, ProjectionStore.RebuildRow row) {
        return new Rebuild(manager, slot, row);
    }

    UUID id() {
        return id;
    }

    boolean isActive() {
        return finishedAt == null;
    }

    void requestSwitch() {
        switchRequested = true;
    }

    void cancel() {
        cancelled = true;
    }

    /**
     * Stops this rebuild here without ending it: its generation stays, and its row is left for an instance to take
     * over (this one restarting, or another at once: the heartbeat is cleared). A clean shutdown does this.
     */
    void release() {
        released = true;
        cancelled = true;
    }

    /** Waits up to {@code timeout} for the rebuild's thread to have stopped what it runs here. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isActive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return !isActive();
    }

    RebuildView view() {
        String s = status;
        ProjectionRunner r = runner;
        if (s.equals("completed") || s.equals("failed") || s.equals("cancelled")) {
            // set before the status, like finishedAt: an ended rebuild answers the same as its stored row
            long records = finalRecords >= 0 ? finalRecords : processed();
            return RebuildView.stored(id.toString(), slot.projection.name(), generation, s, startedAt,
                    finishedAt, records, error);
        }
        long left = remaining;
        return new RebuildView(id.toString(), slot.projection.name(), generation, s, startedAt, null,
                processed(), left < 0 ? null : recordsTotal, progress, rate.perSecond(),
                left < 0 ? null : rate.etaSeconds(left), null);
    }

    void start() {
        Thread t = new Thread(this::run, "rebuild-" + slot.projection.name() + "-g" + generation);
        t.setDaemon(true);
        t.start();
        // the heartbeat has a thread of its own: index builds, helpers stopping and the switch take longer than
        // the owner timeout, and other instances must not count this rebuild as abandoned meanwhile
        Thread beat = new Thread(() -> {
            while (isActive()) {
                beat(manager.store());
                try {
                    Thread.sleep(BEAT_EVERY.toMillis() / 2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rebuild-beat-" + slot.projection.name() + "-g" + generation);
        beat.setDaemon(true);
        beat.start();
    }

    private void run() {
        String name = slot.projection.name();
        ProjectionStore store = manager.store();
        try {
            store.recordRebuild(id, name, generation, status, startedAt, null, processed(), null);
            if (!takenOver || !store.generationExists(name, generation)) {
                store.createGeneration(slot.projection, generation);
            }
            runner = manager.runner(slot.projection, generation, new ReplayPolicy.Rebuilding(),
                    () -> uncheckedOffsets(store, name, oldGeneration));
            runner.start();
            // more consumers in the new generation's group while it catches up: the partitions split between
            // them, each with its own PostgreSQL connection, so the database works on several cores
            int parallelism = manager.rebuildParallelism(slot.projection);
            for (int i = 1; i < parallelism; i++) {
                ProjectionRunner helper = manager.runner(slot.projection, generation, new ReplayPolicy.Rebuilding(),
                        () -> uncheckedOffsets(store, name, oldGeneration), true);
                helpers.add(helper);
                helper.start();
            }
            log.info("rebuild {} of {}: filling generation {} beside live generation {} with {} consumer(s)", id,
                    name, generation, oldGeneration, parallelism);
            while (!cancelled) {
                long gap = gap(store.offsets(name, oldGeneration), store.offsets(name, generation));
                boolean caughtUp = catchUp.look(System.nanoTime(), processed(), gap);
                if (!runner.isAlive()) {
                    throw new IllegalStateException("the rebuild consumer stopped: " + runner.lastError());
                }
                for (ProjectionRunner h : helpers) {
                    if (!h.isAlive()) {
                        throw new IllegalStateException("a rebuild consumer stopped: " + h.lastError());
                    }
                }
                if (caughtUp && !helpers.isEmpty()) {
                    // caught up: one consumer takes every partition from the offsets stored, and goes live later
                    stopHelpers();
                    catchUp.setUpChanged();
                    continue;
                }
                if (caughtUp && !indexed) {
                    // caught up: the readers' indexes, in bulk, before anyone reads this generation
                    long started = System.nanoTime();
                    store.createIndexes(slot.projection, generation);
                    indexed = true;
                    catchUp.setUpChanged();
                    log.info("rebuild {} of {}: indexes of generation {} built in {} ms", id, name, generation,
                            (System.nanoTime() - started) / 1_000_000);
                    continue;
                }
                if (caughtUp && (autoSwitch || switchRequested)) {
                    break;
                }
                status = !autoSwitch && catchUp.ready() ? "ready" : "running";
                Thread.sleep(100);
            }
            if (cancelled) {
                throw new IllegalStateException("cancelled");
            }
            switchOver(store, name);
        } catch (Exception e) {
            fail(store, name, e);
        }
    }

    /** Records the new generation folded so far, by all its consumers. */
    private long processed() {
        ProjectionRunner r = runner;
        long n = helpersProcessed + (r == null ? 0 : r.processed());
        for (ProjectionRunner h : helpers) {
            n += h.processed();
        }
        return n;
    }

    private void stopHelpers() {
        for (ProjectionRunner h : helpers) {
            h.stop(Duration.ofSeconds(60));
            helpers.remove(h);
            helpersProcessed += h.processed();
        }
    }

    private void switchOver(ProjectionStore store, String name) throws Exception {
        status = "switching";
        store.recordRebuild(id, name, generation, status, startedAt, null, processed(), null);
        ProjectionRunner old = slot.live;
        old.stop(Duration.ofSeconds(60));
        // the other instances stop their runners of the old generation when they see "switching": its offsets are
        // final once no consumer of its group is left (one that died leaves with the group's session timeout)
        long membersGone = System.nanoTime() + ProjectionStore.OWNER_TIMEOUT.plusSeconds(15).toNanos();
        while (manager.consumed(name, oldGeneration)) {
            if (System.nanoTime() > membersGone) {
                resumeOld();
                throw new IllegalStateException("generation " + oldGeneration + " is still consumed by another"
                        + " instance: nothing was switched");
            }
            Thread.sleep(100);
        }
        Map<TopicPartition, Long> finalOffsets = store.offsets(name, oldGeneration);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (gap(finalOffsets, store.offsets(name, generation)) > 0) {
            if (System.nanoTime() > deadline || !runner.isAlive()) {
                resumeOld();
                throw new IllegalStateException("generation " + generation + " did not reach the final offsets of "
                        + "generation " + oldGeneration + " in time");
            }
            Thread.sleep(20);
        }
        if (cancelled || !store.offsets(name, oldGeneration).equals(finalOffsets)) {
            // cancelled meanwhile, or an instance folded the old generation after all (it started mid-switch):
            // its side effects are out, so the new generation must not fire them again from the final offsets
            resumeOld();
            throw new IllegalStateException(cancelled ? "cancelled" : "generation " + oldGeneration
                    + " moved on during the switch: nothing was switched");
        }
        finalRecords = processed();
        // first the switch, as this rebuild's owner (a row taken over meanwhile refuses it), then the new runner
        // goes on past the final offsets: nothing it folds live fires before the switch has committed
        store.switchLive(name, generation, oldGeneration, id, manager.owner());
        runner.becomeLive(finalOffsets);
        manager.replaceLive(slot, runner);
        // queries that read the old generation just before the switch finish before its tables go
        Thread.sleep(RETIRE_GRACE.toMillis());
        store.dropGeneration(name, oldGeneration);
        progress = 1.0;
        finishedAt = Instant.now(); // before the status: whoever reads "completed" may start the next rebuild
        status = "completed";
        store.recordRebuild(id, name, generation, status, startedAt, finishedAt, finalRecords, null);
        log.info("rebuild {} of {}: generation {} is live, generation {} dropped ({} records replayed)", id, name,
                generation, oldGeneration, finalRecords);
    }

    /** Gives the old generation its consumer back: nothing was switched. */
    private void resumeOld() {
        resumed = true;
        ProjectionRunner again = manager.runner(slot.projection, oldGeneration, new ReplayPolicy.Live(), null);
        manager.replaceLive(slot, again);
        again.start();
    }

    /**
     * Once a second: reports progress to the rebuilds table (what other instances show), and takes up what was
     * asked of this rebuild through another instance (switch, cancel). A row no longer this instance's (another
     * instance counted it gone) stops the rebuild.
     */
    private void beat(ProjectionStore store) {
        long now = System.nanoTime();
        if (now - lastBeat < BEAT_EVERY.toNanos()) {
            return;
        }
        lastBeat = now;
        try {
            RebuildView v = view();
            var requests = store.beat(id, manager.owner(), status, v.recordsProcessed(), v.recordsTotal(), v.progress(),
                    v.recordsPerSecond(), v.etaSeconds());
            if (requests.isEmpty()) {
                // another instance took it over (this one was silent too long): stop here, and leave its generation
                // and its row alone, they are the new owner's
                log.warn("rebuild {}: its row is no longer this instance's (taken over); stopping here", id);
                released = true;
                cancelled = true;
            } else {
                if (requests.get().switchRequested()) {
                    switchRequested = true;
                }
                if (requests.get().cancelRequested()) {
                    cancelled = true;
                }
            }
        } catch (Exception e) {
            log.debug("rebuild {}: heartbeat not written: {}", id, e.toString());
        }
    }

    private void fail(ProjectionStore store, String name, Exception e) {
        if (released) {
            stopHere(store, name);
            return;
        }
        String outcome = cancelled ? "cancelled" : "failed";
        String reason = cancelled ? "cancelled" : Failures.describe(e);
        if (!cancelled) {
            log.error("rebuild {} of {} failed", id, name, e);
        }
        stopRunners();
        finalRecords = processed();
        try {
            if (slot.live.generation() != generation) {
                store.dropGeneration(name, generation);
            }
            store.recordRebuild(id, name, generation, outcome, startedAt, Instant.now(), finalRecords, reason);
        } catch (Exception cleanup) {
            log.warn("rebuild {}: cleanup of generation {} failed: {}", id, generation, cleanup.toString());
        }
        // only now, with the generation gone: whoever reads the final status may start the next rebuild
        error = reason;
        finishedAt = Instant.now();
        status = outcome;
    }

    /** Stops the new generation's consumers here; the old generation serves again if the switch had stopped it. */
    private void stopRunners() {
        ProjectionRunner r = runner;
        stopHelpers();
        if (r != null) {
            r.stop(Duration.ofSeconds(30));
        }
        if (!resumed && slot.live.generation() == oldGeneration && !slot.live.isAlive()) {
            resumeOld(); // the switch had stopped it: the old generation goes on serving
        }
    }

    /** Released: the runners stop, the generation and the row stay for whoever takes the rebuild over. */
    private void stopHere(ProjectionStore store, String name) {
        stopRunners();
        try {
            store.release(id, manager.owner());
        } catch (Exception e) {
            log.debug("rebuild {}: not released: {}", id, e.toString());
        }
        log.info("rebuild {} of {}: stopped on this instance; generation {} is left for the instance that takes it"
                + " over", id, name, generation);
        finalRecords = processed();
        finishedAt = Instant.now();
        status = "released";
    }

    /** How many records the new generation still has to fold to reach the live one; updates progress. */
    private long gap(Map<TopicPartition, Long> live, Map<TopicPartition, Long> mine) {
        long gap = 0;
        long total = 0;
        for (var e : live.entrySet()) {
            long done = mine.getOrDefault(e.getKey(), 0L);
            gap += Math.max(0, e.getValue() - done);
            total += e.getValue();
        }
        progress = total == 0 ? 1.0 : Math.min(1.0, (double) (total - gap) / total);
        recordsTotal = total;
        remaining = gap;
        ProjectionRunner r = runner;
        if (r != null) {
            rate.observe(System.nanoTime(), processed());
        }
        return gap;
    }

    private static Map<TopicPartition, Long> uncheckedOffsets(ProjectionStore store, String name, int generation) {
        try {
            return store.offsets(name, generation);
        } catch (java.sql.SQLException e) {
            return Map.of(); // database unreachable: hold everything back until it answers again
        }
    }
}
