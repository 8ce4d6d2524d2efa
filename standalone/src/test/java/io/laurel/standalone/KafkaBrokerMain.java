package io.laurel.standalone;

import java.nio.file.Path;

/**
 * A Kafka broker (KRaft, the standalone's {@link EmbeddedKafka}) in a JVM of its own, so a test can stop it and
 * start it again on the same log directories. Arguments: directory, port, controller port. Prints {@code READY};
 * SIGTERM shuts it down cleanly.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-broker-stop"));
        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
