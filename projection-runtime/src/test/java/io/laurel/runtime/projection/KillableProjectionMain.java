package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.producer.Producer;

import java.util.List;

/**
 * Runs a {@link CountingProjection} in its own JVM, so a test can kill it with SIGKILL mid-batch.
 * Arguments: bootstrap, jdbcUrl, user, password, input topic, side-effect topic, group prefix.
 */
public final class KillableProjectionMain {
    private KillableProjectionMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariDataSource ds = ProjectionFixture.dataSource(args[1], args[2], args[3]);
        Producer<String, byte[]> producer = ProjectionFixture.producer(args[0]);
        ProjectionManager manager = new ProjectionManager(
                List.of(new CountingProjection("counting", args[4], args[5], 2, true)),
                new ProjectionStore(ds), producer, ProjectionFixture.consumerBase(args[0], 100), args[6],
                ProjectionRunner.Retry.DEFAULT);
        manager.start();
        System.out.println("STARTED");
        System.out.flush();
        Thread.currentThread().join();
    }
}
