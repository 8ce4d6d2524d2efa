package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.projection.ProjectionStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production topology as separate processes, started by {@code deploy/cluster up --instances 2}: one Kafka
 * broker, one PostgreSQL server, two instances of each of the four services and the nginx gateway. 50,000 events go
 * through the gateway (batches of 500 with idempotence keys, each retried until answered); at 30% instance 2 of
 * every service is killed with SIGKILL, and the survivors hold every partition within 10 s; the killed instances are
 * started again while the stream goes on. Afterwards: exact ledger, balances, leaderboard and badges, one
 * notification and at least one webhook delivery per award, and every instance of a service gives the same answer to
 * the same read. Last, a rebuild started on one leaderboard instance is finished by the other after the first is
 * killed.
 */
@org.junit.jupiter.api.Tag(RunsAlone.TAG)
class ClusterIT {
    private static final String KEY = "lrl_cluster_test_admin_key_0123456789";
    private static final int EVENTS = 50_000;
    private static final int USERS = 500;
    private static final int BATCH = 500;
    private static final List<String> SERVICES = List.of("ingest", "scoring", "badge", "leaderboard");
    /** Each projection's consumer group and the topics it reads (every partition of them must be held). */
    private static final Map<String, List<String>> TOPICS_OF_GROUP = Map.of(
            "laurel.event_log.g1", List.of("laurel.events"),
            "laurel.scoring.g1", List.of("laurel.events"),
            "laurel.badges.g1", List.of("laurel.events", "laurel.points"),
            "laurel.notifications.g1", List.of("laurel.achievements"),
            "laurel.webhooks.g1", List.of("laurel.achievements"),
            "laurel.leaderboards.g1", List.of("laurel.points"));

    @TempDir
    Path tmp;

    private final Path root = Path.of("").toAbsolutePath().getParent();
    private int base;
    private int gatewayPort;
    private PlatformClient api;
    private HttpServer receiver;
    private final Map<String, String> awardOfDelivery = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();

    private final long testStarted = System.nanoTime();

    private void phase(String what) {
        System.out.printf("cluster: %s at %d s%n", what, (System.nanoTime() - testStarted) / 1_000_000_000);
    }

    @AfterEach
    void down() throws Exception {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (base > 0) {
            long stopping = System.nanoTime();
            String out = cluster(Duration.ofMinutes(4), "down");
            System.out.printf("cluster: down in %d ms%n%s%n", (System.nanoTime() - stopping) / 1_000_000, out);
        }
        // the processes' logs (their shutdown included) outlive the run directory, for whoever reads a failure
        Path logs = tmp.resolve("cluster").resolve("logs");
        if (Files.isDirectory(logs)) {
            Path kept = Path.of("target", "cluster-it-logs");
            Files.createDirectories(kept);
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void twoInstancesOfEachServiceSurviveSigkillExactAndAgree() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String award = LaurelJson.mapper().readTree(body).path("award_id").asText();
            awardOfDelivery.putIfAbsent(exchange.getRequestHeaders().getFirst("X-Laurel-Delivery"), award);
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        chooseFreePorts();
        long started = System.nanoTime();
        String up = cluster(Duration.ofMinutes(8), "up", "--instances", "2");
        System.out.printf("cluster: up in %d s%n%s%n", (System.nanoTime() - started) / 1_000_000_000, up);
        api = new PlatformClient(gatewayPort, KEY);
        String status = cluster(Duration.ofSeconds(30), "status");
        assertThat(status.lines().filter(l -> l.endsWith(" up")).count()).as(status).isEqualTo(11);

        api.call("POST", "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        api.call("POST", "/v1/admin/rules", "{\"name\":\"10 a visit\",\"event_type\":\"visit\",\"points\":10}", 201);
        api.call("POST", "/v1/admin/badges", "{\"id\":\"regular\",\"name\":\"Regular\",\"kind\":\"count\","
                + "\"event_type\":\"visit\",\"threshold\":50}", 201);
        api.call("POST", "/v1/admin/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/awards\",\"kinds\":[\"badge_awarded\"]}", 201);

        AtomicInteger accepted = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread client = Thread.ofPlatform().start(() -> api.streamVisits(EVENTS, USERS, BATCH, 200, accepted, done));

        await().atMost(Duration.ofMinutes(5)).until(() -> accepted.get() >= 0.3 * EVENTS);
        phase("30% accepted");
        // the four at once; the clock runs from the first kill answered (deploy/cluster ends as soon as it has sent
        // the SIGKILL, a few ms later; the start of its bash before, a few hundred ms on a busy machine, is not the
        // platform's time), as for the rebuild's owner below
        java.util.concurrent.atomic.AtomicLong firstKill = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        List<Thread> kills = new ArrayList<>();
        List<Throwable> killFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String service : SERVICES) {
            kills.add(Thread.ofPlatform().start(() -> {
                try {
                    cluster(Duration.ofSeconds(30), "kill", service, "2");
                    firstKill.accumulateAndGet(System.nanoTime(), Math::min);
                } catch (Throwable t) {
                    killFailures.add(t);
                }
            }));
        }
        for (Thread t : kills) {
            t.join(Duration.ofSeconds(40).toMillis());
        }
        assertThat(killFailures).as("instances 2 killed").isEmpty();
        long killed = firstKill.get();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(this::survivorsHoldEveryPartition);
        long takenOverMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("cluster: every partition of the killed instances held by the survivors %d ms after the"
                + " SIGKILL%n", takenOverMs);
        assertThat(takenOverMs).as("ms until the survivors held every partition").isLessThanOrEqualTo(10_000);

        // the killed instances come back while the stream goes on (they take their share of the partitions again)
        List<Thread> restarts = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String service : SERVICES) {
            restarts.add(Thread.ofPlatform().start(() -> {
                try {
                    cluster(Duration.ofMinutes(5), "start", service, "2");
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : restarts) {
            t.join(Duration.ofMinutes(6).toMillis());
        }
        assertThat(failures).as("instances started again").isEmpty();
        phase("killed instances started again");
        client.join(Duration.ofMinutes(10).toMillis());
        assertThat(done.get()).as("every batch answered").isTrue();
        phase("every event accepted");

        // exact, once everything is folded
        await().atMost(Duration.ofMinutes(10)).until(() -> count("scoring", "ledger") == EVENTS);
        await().atMost(Duration.ofMinutes(5)).until(() -> count("badges", "awards") == USERS
                && count("notifications", "notifications") >= USERS);
        phase("every event folded");
        assertThat(count("scoring", "ledger")).isEqualTo(EVENTS);
        assertThat(count("badges", "awards")).isEqualTo(USERS);
        assertThat(count("notifications", "notifications")).as("one notification per award").isEqualTo(USERS);
        long each = 10L * EVENTS / USERS;
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            JsonNode board = api.call("GET", "/v1/leaderboards/all-time?limit=1000", null, 200);
            assertThat(board.get("total").asLong()).isEqualTo(USERS);
            assertThat(board.get("entries").findValuesAsText("score")).hasSize(USERS)
                    .allMatch(s -> s.equals(Long.toString(each)));
        });
        await().atMost(Duration.ofMinutes(2)).until(() -> new HashSet<>(awardOfDelivery.values()).size() >= USERS);
        assertThat(new HashSet<>(awardOfDelivery.values())).hasSize(USERS);
        System.out.printf("cluster: %d webhook deliveries received for %d awards%n", received.get(), USERS);

        printSizes();
        // every instance of a service answers the same read the same (the projections have caught up)
        await().atMost(Duration.ofMinutes(2)).untilAsserted(this::everyInstanceAnswersTheSame);
        for (int u = 0; u < USERS; u += 61) {
            assertThat(api.call("GET", "/v1/users/u" + u + "/points", null, 200).at("/balances/0/earned").asLong())
                    .isEqualTo(each);
            assertThat(api.call("GET", "/v1/users/u" + u + "/badges", null, 200).get("badges")
                    .findValuesAsText("badge_id")).containsExactly("regular");
        }

        phase("every instance agrees");
        // a rebuild started on leaderboard 1 (waiting for a manual switch) outlives leaderboard 1
        JsonNode rebuild = new PlatformClient(port("leaderboard", 1), KEY).call("POST",
                "/v1/ops/projections/leaderboards/rebuild", "{\"switch\":\"manual\"}", 202);
        String id = rebuild.get("id").asText();
        int generation = rebuild.get("generation").asInt();
        await().atMost(Duration.ofMinutes(2)).until(() -> rebuildStatus(id).equals("ready"));
        long filled = storedOffsets("leaderboards", generation);
        cluster(Duration.ofSeconds(30), "kill", "leaderboard", "1");
        long rebuildKilled = System.nanoTime();
        // its owner silent for 15 s, leaderboard 2 takes it over, from where the generation was (its stored offsets
        // never go back: it is not refilled from 0); the switch is asked through the gateway
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seen.add(storedOffsets("leaderboards", generation));
            return rebuildStatus(id).equals("ready") && !rebuildOwner(id).startsWith("leaderboard-1");
        });
        assertThat(seen).as("stored offsets of generation %d after the kill", generation)
                .allMatch(offsets -> offsets >= filled);
        System.out.printf("cluster: rebuild %s taken over %d ms after its instance was killed%n", id,
                (System.nanoTime() - rebuildKilled) / 1_000_000);
        await().atMost(Duration.ofMinutes(1)).until(() -> api.send("POST", "/v1/ops/rebuilds/" + id + "/switch", null)
                .statusCode() == 200);
        await().atMost(Duration.ofMinutes(2)).until(() -> rebuildStatus(id).equals("completed"));
        JsonNode leaderboards = api.call("GET", "/v1/ops/projections/leaderboards", null, 200);
        assertThat(leaderboards.get("generation").asInt()).isEqualTo(generation);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            JsonNode board = api.call("GET", "/v1/leaderboards/all-time?limit=1000", null, 200);
            assertThat(board.get("total").asLong()).isEqualTo(USERS);
            assertThat(board.get("entries").findValuesAsText("score")).allMatch(s -> s.equals(Long.toString(each)));
        });
        assertThat(count("leaderboards", "scores")).isEqualTo(USERS);
        phase("rebuild completed");
    }


    /** Every partition of every projection's group is held by a live instance (instance 1 of each service). */
    private boolean survivorsHoldEveryPartition() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + (base + 92)))) {
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(TOPICS_OF_GROUP.keySet()).all()
                    .get(10, TimeUnit.SECONDS);
            for (ConsumerGroupDescription group : described.values()) {
                Set<TopicPartition> held = new HashSet<>();
                for (MemberDescription m : group.members()) {
                    if (m.groupInstanceId().orElse("").matches("[a-z]+-2\\..*")) {
                        return false; // a killed instance still counts as a member
                    }
                    held.addAll(m.assignment().topicPartitions());
                }
                Set<TopicPartition> expected = new HashSet<>();
                for (var d : admin.describeTopics(TOPICS_OF_GROUP.get(group.groupId())).allTopicNames()
                        .get(10, TimeUnit.SECONDS).values()) {
                    d.partitions().forEach(p -> expected.add(new TopicPartition(d.name(), p.partition())));
                }
                if (!held.equals(expected)) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void everyInstanceAnswersTheSame() throws Exception {
        for (JsonNode p : api.call("GET", "/v1/ops/projections", null, 200).get("projections")) {
            assertThat(p.get("lag").asLong()).as("lag of " + p.get("name")).isZero();
        }
        Map<String, List<String>> reads = new HashMap<>();
        List<String> users = List.of("u0", "u7", "u123", "u499");
        reads.put("scoring", new ArrayList<>());
        reads.put("badge", new ArrayList<>());
        reads.put("leaderboard", new ArrayList<>(List.of("/v1/leaderboards/all-time?limit=20",
                "/v1/leaderboards/all-time?offset=480&limit=20")));
        for (String u : users) {
            reads.get("scoring").add("/v1/users/" + u + "/points");
            reads.get("scoring").add("/v1/users/" + u + "/ledger?limit=5");
            reads.get("badge").add("/v1/users/" + u + "/badges");
            reads.get("leaderboard").add("/v1/leaderboards/all-time/users/" + u);
            reads.get("leaderboard").add("/v1/leaderboards/all-time/around/" + u + "?radius=3");
        }
        for (var e : reads.entrySet()) {
            PlatformClient one = new PlatformClient(port(e.getKey(), 1), KEY);
            PlatformClient two = new PlatformClient(port(e.getKey(), 2), KEY);
            for (String path : e.getValue()) {
                JsonNode a = one.call("GET", path, null, 200);
                JsonNode b = two.call("GET", path, null, 200);
                assertThat(b).as(e.getKey() + " instances 1 and 2 on " + path).isEqualTo(a);
            }
        }
    }

    /** What 50,000 events left in PostgreSQL (per schema) and Kafka (per topic): inputs of docs/scaling.md. */
    private void printSizes() {
        try (Connection c = postgres(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname, sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                     + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN"
                     + " ('pg_catalog', 'information_schema') GROUP BY 1 ORDER BY 2 DESC")) {
            while (rs.next()) {
                System.out.printf("cluster: size of schema %s after %d events: %d KiB%n", rs.getString(1), EVENTS,
                        rs.getLong(2) >> 10);
            }
        } catch (Exception e) {
            System.out.println("cluster: schema sizes not read: " + e);
        }
        try (Connection c = postgres(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT schemaname, sum(n_tup_ins), sum(n_tup_upd), sum(n_tup_del),"
                     + " sum(n_live_tup) FROM pg_stat_user_tables GROUP BY 1 ORDER BY 2 DESC")) {
            while (rs.next()) {
                System.out.printf("cluster: rows of schema %s after %d events: %d inserted, %d updated, %d deleted,"
                        + " %d live%n", rs.getString(1), EVENTS, rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5));
            }
        } catch (Exception e) {
            System.out.println("cluster: row counts not read: " + e);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + (base + 92)))) {
            Map<String, Long> bytes = new java.util.TreeMap<>();
            admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS).values().forEach(dirs ->
                    dirs.values().forEach(d -> d.replicaInfos().forEach((tp, info) ->
                            bytes.merge(tp.topic(), info.size(), Long::sum))));
            bytes.forEach((topic, size) -> System.out.printf("cluster: size of topic %s after %d events: %d KiB%n",
                    topic, EVENTS, size >> 10));
        } catch (Exception e) {
            System.out.println("cluster: topic sizes not read: " + e);
        }
    }

    private String rebuildStatus(String id) throws Exception {
        HttpResponse<String> r = api.send("GET", "/v1/ops/rebuilds/" + id, null);
        return r.statusCode() == 200 ? LaurelJson.mapper().readTree(r.body()).path("status").asText() : "";
    }

    private long storedOffsets(String projection, int generation) throws Exception {
        try (Connection c = postgres(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM laurel_runtime.projection_offsets"
                     + " WHERE name = '" + projection + "' AND generation = " + generation)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String rebuildOwner(String id) throws Exception {
        try (Connection c = postgres(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT owner FROM laurel_runtime.rebuilds WHERE id = '" + id + "'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private long count(String projection, String table) {
        try {
            JsonNode p = api.call("GET", "/v1/ops/projections/" + projection, null, 200);
            String schema = ProjectionStore.schemaOf(projection, p.get("generation").asInt());
            try (Connection c = postgres(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            return -1;
        }
    }

    private Connection postgres() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + (base + 32) + "/laurel", "postgres",
                "postgres");
    }

    private int port(String service, int instance) {
        return base + 100 * (SERVICES.indexOf(service) + 1) + instance;
    }

    /**
     * A base port whose cluster ports (see deploy/cluster) and a gateway port are all free. The range stays below
     * Linux's ephemeral ports (32768 and up): a port found free there can be taken by any outgoing connection (a
     * service's to Kafka or PostgreSQL) in the minute before the service binds it, which failed a CI run.
     */
    private void chooseFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 20_000 + 1_000 * ThreadLocalRandom.current().nextInt(12);
            List<Integer> ports = new ArrayList<>(List.of(candidate + 32, candidate + 92, candidate + 93, candidate + 80));
            for (int s = 1; s <= 4; s++) {
                ports.add(candidate + 100 * s + 1);
                ports.add(candidate + 100 * s + 2);
            }
            if (ports.stream().allMatch(ClusterIT::free)) {
                base = candidate;
                gatewayPort = candidate + 80;
                return;
            }
        }
        throw new IllegalStateException("no free range of ports for the cluster");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Runs deploy/cluster with this test's run directory and ports; its output, or a failure naming it. */
    private String cluster(Duration timeout, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/cluster").toString()));
            command.addAll(List.of(args));
            command.addAll(List.of("--dir", tmp.resolve("cluster").toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            Path out = Files.createTempFile(tmp, "cluster-" + args[0], ".log");
            pb.redirectOutput(out.toFile());
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("LAUREL_PORT", Integer.toString(gatewayPort));
            env.put("LAUREL_ADMIN_KEY", KEY);
            env.put("LAUREL_CLUSTER_BASE_PORT", Integer.toString(base));
            env.put("LAUREL_WEBHOOKS_ALLOWED_TARGETS", "127.0.0.1");
            env.put("LAUREL_CLUSTER_JAVA_OPTS", System.getProperty("laurel.cluster.java-opts",
                    "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
            Process p = pb.start();
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String output = Files.readString(out);
            if (!ended) {
                p.destroyForcibly();
                throw new AssertionError("deploy/cluster " + String.join(" ", args) + " did not end in " + timeout
                        + ":\n" + output);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("deploy/cluster " + String.join(" ", args) + " failed (" + p.exitValue()
                        + "):\n" + output + logs());
            }
            return output;
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("deploy/cluster " + String.join(" ", args) + ": " + e, e);
        }
    }

    /** The end of every process's log, for a failure's message. */
    private String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(tmp.resolve("cluster").resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("\n---- ").append(f.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (Exception e) {
            b.append("\n(logs not read: ").append(e).append(')');
        }
        return b.toString();
    }
}
