package io.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the running platform over HTTP, as a client would: {@code POST /v1/events} from a fixed pool of
 * concurrent senders, then watches the projections through {@code GET /v1/ops/projections} and the
 * all-time leaderboard until every accepted event is on it.
 */
final class LaurelLoad {
    static final String EVENT_TYPE = "bench_event";
    static final String BOARD = "all-time";
    private static final int PAGE = 1000;
    private static final Duration LATENCY_POLL = Duration.ofMillis(5);
    private static final Duration LATENCY_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String base;
    private final String key;
    private final String bootstrapServers;
    private final String eventsTopic;
    private final int eventsPartitions;
    private final ObjectMapper json = new ObjectMapper();

    LaurelLoad(int port, String key, String bootstrapServers, String eventsTopic, int eventsPartitions) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "http://localhost:" + port;
        this.key = key;
        this.bootstrapServers = bootstrapServers;
        this.eventsTopic = eventsTopic;
        this.eventsPartitions = eventsPartitions;
    }

    /** What one phase (warm-up or measured) did and how long each part took, from its first post. */
    record Phase(String label, int sent, int accepted, int failures, List<String> failureSamples,
                 long postNanos, long[] postResponseNanos,
                 long scoringNanos, long projectedNanos, long boardSum, long boardUsers, long expectedBoardSum,
                 long[] latencyNanos, int latencySamples, int latencyTimeouts, long rankPolls,
                 CpuMeter.Usage postingCpu) {

        boolean projected() {
            return projectedNanos >= 0;
        }
    }

    /** Declares {@value #EVENT_TYPE} and a rule giving it 1 point. */
    void declare() throws IOException, InterruptedException {
        HttpResponse<String> type = post("/v1/admin/event-types", """
                {"name":"bench_event","description":"Benchmark event",
                 "event_data_schema":{"required":["amount"],"properties":{"amount":"number"}}}""");
        if (type.statusCode() != 201) {
            throw new IllegalStateException("declaring the event type answered " + type.statusCode() + ": " + type.body());
        }
        HttpResponse<String> rule = post("/v1/admin/rules",
                "{\"name\":\"1 point per bench event\",\"event_type\":\"bench_event\",\"points\":1}");
        if (rule.statusCode() != 201) {
            throw new IllegalStateException("declaring the rule answered " + rule.statusCode() + ": " + rule.body());
        }
    }

    /**
     * Posts {@code count} events from {@code concurrency} senders; every {@code sampleEvery}-th goes to a user
     * of its own ({@code samplePrefix + i}) and is timed until its rank can be read. Then waits until the
     * scoring projection has committed every record of {@code laurel.events} and the all-time leaderboard's
     * scores add up to {@code boardBefore} plus the events accepted.
     */
    Phase run(String label, int count, int concurrency, int users, int sampleEvery, String userPrefix,
              String samplePrefix, long boardBefore, Duration timeout) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
        long[] responseNanos = new long[count];
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong rankPolls = new AtomicLong();
        List<Thread> pollers = java.util.Collections.synchronizedList(new ArrayList<>());

        CpuMeter cpu = CpuMeter.start();
        long t0 = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < concurrency; s++) {
            senders.add(Thread.ofVirtual().name("bench-sender-" + s).start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    boolean sampled = i % sampleEvery == 0;
                    String user = sampled ? samplePrefix + i : userPrefix + ((i + i / users) % users);
                    String body = "{\"event_type\":\"" + EVENT_TYPE + "\",\"user_id\":\"" + user
                            + "\",\"event_data\":{\"amount\":" + (i % 100 + 1) + "}}";
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = post("/v1/events", body);
                        responseNanos[i] = System.nanoTime() - start;
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                            if (sampled) {
                                pollers.add(Thread.ofVirtual().name("bench-latency-" + i).start(
                                        () -> pollRank(user, start, latencies, rankPolls)));
                            }
                        } else {
                            failed(failures, failureSamples, r.statusCode() + " " + r.body());
                        }
                    } catch (IOException e) {
                        responseNanos[i] = System.nanoTime() - start;
                        failed(failures, failureSamples, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        long postNanos = System.nanoTime() - t0;
        CpuMeter.Usage postingCpu = cpu.stop();
        long deadline = System.nanoTime() + timeout.toNanos();

        // 1. the scoring projection has committed every record now in laurel.events (exact: offsets)
        Map<TopicPartition, Long> ends = eventsEndOffsets();
        long scoringNanos = -1;
        while (System.nanoTime() < deadline) {
            if (scoringCommitted(ends)) {
                scoringNanos = System.nanoTime() - t0;
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        // 2. the all-time leaderboard shows every accepted event (exact: 1 point each, scores add up)
        long expected = boardBefore + accepted.get();
        long projectedNanos = -1;
        long[] board = {0, 0};
        while (System.nanoTime() < deadline) {
            board = boardSum();
            long seenAt = System.nanoTime();
            if (board[0] >= expected) {
                long[] again = boardSum(); // pages of a moving board could mislead once; twice cannot
                if (again[0] == board[0]) {
                    projectedNanos = seenAt - t0;
                    break;
                }
                board = again;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        // 3. the latency samples, each bounded by its own timeout
        List<Thread> snapshot;
        synchronized (pollers) {
            snapshot = List.copyOf(pollers);
        }
        long joinUntil = Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        for (Thread t : snapshot) {
            long left = Math.max(1, joinUntil - System.nanoTime());
            if (!t.join(Duration.ofNanos(left))) {
                t.interrupt();
            }
        }
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] resp = Arrays.copyOf(responseNanos, Math.min(count, next.get()));
        Arrays.sort(resp);
        return new Phase(label, count, accepted.get(), failures.get(), List.copyOf(failureSamples), postNanos, resp,
                scoringNanos, projectedNanos, board[0], board[1], expected, lat, snapshot.size(),
                snapshot.size() - lat.length, rankPolls.get(), postingCpu);
    }

    private static void failed(AtomicInteger failures, ConcurrentLinkedQueue<String> samples, String what) {
        if (failures.incrementAndGet() <= 5) {
            samples.add(what.length() > 300 ? what.substring(0, 300) + "…" : what);
        }
    }

    /** Polls the user's rank every {@link #LATENCY_POLL} until it answers 200: the end-to-end latency. */
    private void pollRank(String user, long start, ConcurrentLinkedQueue<Long> latencies, AtomicLong polls) {
        String path = "/v1/leaderboards/" + BOARD + "/users/" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        long deadline = start + LATENCY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                polls.incrementAndGet();
                HttpResponse<String> r = get(path);
                if (r.statusCode() == 200) {
                    latencies.add(System.nanoTime() - start);
                    return;
                }
                Thread.sleep(LATENCY_POLL);
            }
        } catch (IOException e) {
            // counted as not measured
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<TopicPartition, Long> eventsEndOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < eventsPartitions; p++) {
                request.put(new TopicPartition(eventsTopic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    /** True when the scoring projection's committed next offsets (ops API) reached {@code ends}. */
    private boolean scoringCommitted(Map<TopicPartition, Long> ends) throws IOException, InterruptedException {
        JsonNode ops = getJson("/v1/ops/projections");
        for (JsonNode p : ops.path("projections")) {
            if (!"scoring".equals(p.path("name").asText())) {
                continue;
            }
            Map<TopicPartition, Long> committed = new HashMap<>();
            for (JsonNode part : p.path("partitions")) {
                JsonNode next = part.has("next_offset") ? part.get("next_offset") : part.path("nextOffset");
                committed.put(new TopicPartition(part.path("topic").asText(), part.path("partition").asInt()),
                        next.asLong(-1));
            }
            for (var e : ends.entrySet()) {
                if (e.getValue() > 0 && committed.getOrDefault(e.getKey(), -1L) < e.getValue()) {
                    return false;
                }
            }
            return true;
        }
        throw new IllegalStateException("no 'scoring' projection in GET /v1/ops/projections: " + ops);
    }

    /** {sum of scores, users} of the all-time leaderboard, read page by page. */
    long[] boardSum() throws IOException, InterruptedException {
        long sum = 0;
        long users = 0;
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = getJson("/v1/leaderboards/" + BOARD + "?limit=" + PAGE + "&offset=" + offset);
            JsonNode entries = page.path("entries");
            for (JsonNode e : entries) {
                sum += e.path("score").asLong();
                users++;
            }
            if (entries.size() < PAGE) {
                return new long[]{sum, users};
            }
        }
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
