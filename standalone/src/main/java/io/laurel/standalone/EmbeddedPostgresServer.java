package io.laurel.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server started by the standalone, its data kept under the data directory, and owned by it:
 * <ul>
 *   <li>a server of the same data directory left running by a killed standalone (its {@code postmaster.pid}) is
 *       stopped before a new one starts;</li>
 *   <li>a port held by anything else stops the start with what to do, instead of connecting to a stranger;</li>
 *   <li>once started, the server must say it serves this data directory ({@code SHOW data_directory});</li>
 *   <li>a watchdog process stops the server when the JVM dies, however it dies (SIGKILL included).</li>
 * </ul>
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    static final String DATABASE = "laurel";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer start(Path dir, int port) throws IOException, SQLException {
        Path data = dir.resolve("data");
        Path runtime = dir.resolve("runtime");
        Files.createDirectories(data);
        Files.createDirectories(runtime);
        stopLeftover(data);
        requireFree(port);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data.toFile())
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(runtime.toFile())
                .setPort(port)
                .setServerConfig("max_connections", maxConnections())
                .start();
        try {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                String served;
                try (ResultSet rs = st.executeQuery("SHOW data_directory")) {
                    rs.next();
                    served = rs.getString(1);
                }
                if (!Path.of(served).toRealPath().equals(data.toRealPath())) {
                    throw new IllegalStateException("The PostgreSQL server on port " + port + " serves " + served
                            + ", not this data directory's " + data + ". Stop it, or choose another port with"
                            + " LAUREL_STANDALONE_POSTGRES_PORT.");
                }
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
            Path real = data.toRealPath();
            postmasterPid(data).ifPresent(pid -> watch(ProcessHandle.current().pid(), pid, real));
        } catch (IOException | SQLException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return new EmbeddedPostgresServer(pg);
    }

    /** {@code LAUREL_POSTGRES_MAX_CONNECTIONS}, else 200 (deploy/cluster raises it for its instances' pools). */
    private static String maxConnections() {
        String configured = System.getenv("LAUREL_POSTGRES_MAX_CONNECTIONS");
        return configured == null || configured.isBlank() ? "200" : Integer.toString(Integer.parseInt(configured.trim()));
    }

    /** The process id in {@code postmaster.pid} (its first line), if the file is there. */
    static Optional<Long> postmasterPid(Path data) {
        Path file = data.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops a server of this data directory that outlived the JVM that started it: a fast shutdown (SIGINT), then
     * SIGKILL if it has not gone after 30 s (PostgreSQL recovers from its log at the next start).
     */
    static void stopLeftover(Path data) throws IOException {
        Optional<ProcessHandle> leftover = postmasterPid(data).flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .filter(p -> servesDirectory(p.pid(), data));
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle p = leftover.get();
        log.warn("A PostgreSQL server of {} is still running (pid {}), left by a standalone that did not stop cleanly;"
                + " stopping it", data, p.pid());
        signal("INT", p.pid());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            sleep(100);
        }
        if (p.isAlive()) {
            log.warn("PostgreSQL (pid {}) did not stop in 30 s; killing it", p.pid());
            p.destroyForcibly();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
            }
        }
        if (p.isAlive()) {
            throw new IllegalStateException("A PostgreSQL server of " + data + " (pid " + p.pid() + ") could not be stopped");
        }
    }

    /**
     * Whether process {@code pid} is the postmaster of {@code data}: it runs in that directory (a PostgreSQL server
     * changes into its data directory). A stale {@code postmaster.pid} whose number now belongs to another process,
     * or to another directory's server, is not ours to stop.
     */
    static boolean servesDirectory(long pid, Path data) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(data.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Refuses to start when something else listens on {@code port}. */
    static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " is in use by another process (not a PostgreSQL of this"
                    + " data directory), so the standalone's PostgreSQL cannot listen there. Stop that process, or"
                    + " choose another port with LAUREL_STANDALONE_POSTGRES_PORT.");
        }
    }

    /**
     * A process outside the JVM that waits for it to end and then stops the server (fast shutdown; SIGKILL after
     * 30 s if it is still there). In a session of its own, so a kill of the standalone's process group spares it.
     */
    private static void watch(long jvm, long postgresPid, Path data) {
        // signals go to the server only while it still runs in this data directory (not to a reused pid)
        String ours = "[ \"$(readlink /proc/" + postgresPid + "/cwd 2>/dev/null)\" = '" + data.toString().replace("'", "")
                + "' ]";
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 0.5; done; if " + ours + "; then kill -INT "
                + postgresPid + "; fi; i=0; while [ $i -lt 60 ] && " + ours + "; do sleep 0.5; i=$((i+1)); done; if "
                + ours + "; then kill -KILL " + postgresPid + "; fi";
        boolean setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));
        List<String> command = setsid ? List.of("setsid", "sh", "-c", script) : List.of("sh", "-c", script);
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            log.warn("No watchdog for PostgreSQL (pid {}): {}. If this JVM is killed, the next start stops the server.",
                    postgresPid, e.toString());
        }
    }

    private static void signal(String signal, long pid) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
