package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.producer.Producer;

import java.util.List;

/**
 * Runs a {@link CountingProjection} in its own JVM, so a test can kill it with SIGKILL mid-batch.
 * Arguments: bootstrap, jdbcUrl, user, password, input topic, side-effect topic, group prefix, and the instance
 * id ({@code -} for dynamic group members), optionally the projection's name (default {@code counting}) and
 * {@code no-release} to skip removing a dead predecessor's member (as when that removal fails). Prints {@code STARTED} once the manager started, then every 100 ms
 * {@code STATUS <status> <lag> <partitions held>}, and {@code HOLDING <ms>} the first time it holds every
 * partition of the input topic, {@code ms} after {@code STARTED}. With {@code rebuild} among the arguments it then
 * starts a rebuild of the projection that waits for a manual switch, and prints {@code REBUILD <id>}.
 */
public final class KillableProjectionMain {
    private KillableProjectionMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariDataSource ds = ProjectionFixture.dataSource(args[1], args[2], args[3]);
        Producer<String, byte[]> producer = ProjectionFixture.producer(args[0]);
        int partitions = producer.partitionsFor(args[4]).size();
        ProjectionManager manager = new ProjectionManager(
                List.of(new CountingProjection(args.length > 8 ? args[8] : "counting", args[4], args[5], 2, true)),
                new ProjectionStore(ds), producer, ProjectionFixture.consumerBase(args[0], 100), args[6],
                ProjectionRunner.Retry.DEFAULT, args[7].equals("-") ? null : args[7]);
        List<String> options = java.util.Arrays.asList(args).subList(Math.min(args.length, 9), args.length);
        if (options.contains("no-release")) {
            manager.memberRelease(ProjectionRunner.MemberRelease.NONE);
        }
        manager.start();
        long started = System.nanoTime();
        System.out.println("STARTED");
        if (options.contains("rebuild")) {
            System.out.println("REBUILD " + manager.startRebuild(manager.projections().get(0).name(), false).id());
        }
        System.out.flush();
        java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor().scheduleAtFixedRate(() -> {
            ProjectionStatus s = manager.status().get(0);
            System.out.println("STATUS " + s.status() + " " + s.lag() + " " + s.partitions().size());
            if (s.partitions().size() == partitions && holding.compareAndSet(false, true)) {
                System.out.println("HOLDING " + (System.nanoTime() - started) / 1_000_000);
            }
            System.out.flush();
        }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        Thread.currentThread().join();
    }
}
