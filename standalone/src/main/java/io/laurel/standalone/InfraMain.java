package io.laurel.standalone;

import java.nio.file.Path;

/**
 * The standalone's Kafka broker or PostgreSQL server alone, in a JVM of its own: what {@code deploy/cluster} runs
 * (and the fault tests stop and start). Run from the standalone's jar with Spring Boot's launcher:
 * <pre>
 * java -cp laurel-standalone-exec.jar -Dloader.main=io.laurel.standalone.InfraMain \
 *      org.springframework.boot.loader.launch.PropertiesLauncher kafka DIR PORT CONTROLLER_PORT
 * ... postgres DIR PORT
 * </pre>
 * Prints {@code READY <address>} once it serves; SIGTERM stops it cleanly. The PostgreSQL server (database
 * {@code laurel}, user and password {@code postgres}) stops with this JVM, however the JVM ends.
 */
public final class InfraMain {
    private InfraMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            usage();
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        int port = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "kafka" -> {
                if (args.length < 4) {
                    usage();
                }
                EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, Integer.parseInt(args[3]));
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-broker-stop"));
                ready(kafka.bootstrapServers());
            }
            case "postgres" -> {
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir, port);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (Exception e) {
                        System.err.println("PostgreSQL did not stop cleanly: " + e);
                    }
                }, "postgres-stop"));
                ready("localhost:" + postgres.port() + "/" + EmbeddedPostgresServer.DATABASE);
            }
            default -> usage();
        }
        Thread.currentThread().join();
    }

    private static void ready(String address) {
        System.out.println("READY " + address);
        System.out.flush();
    }

    private static void usage() {
        System.err.println("usage: InfraMain kafka DIR PORT CONTROLLER_PORT | InfraMain postgres DIR PORT");
        System.exit(2);
    }
}
