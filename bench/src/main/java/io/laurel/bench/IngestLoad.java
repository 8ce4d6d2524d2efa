package io.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

/**
 * The HTTP ingest scenarios: single events ({@code POST /v1/events}) from a fixed pool of closed-loop senders
 * (capacity) and at a fixed rate (open loop, response time from the due time), and batches
 * ({@code POST /v1/events:batch}). Every event is of {@value #EVENT_TYPE}, whose schema the platform checks.
 * Also waits for the projections to go quiet between scenarios, so that one scenario's events are not
 * still being projected while the next is measured.
 */
final class IngestLoad {
    static final String EVENT_TYPE = "bench_purchase";
    static final String SCHEMA = "{\"required\":[\"amount\",\"currency\"],"
            + "\"properties\":{\"amount\":\"number\",\"currency\":\"string\",\"sku\":\"string\"}}";
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};
    private static final Duration QUIET_POLL = Duration.ofMillis(100);
    private static final Duration QUIET_FOR = Duration.ofSeconds(1);

    private final HttpClient http;
    private final String base;
    private final String key;
    private final ObjectMapper json = new ObjectMapper();

    IngestLoad(int port, String key) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "http://localhost:" + port;
        this.key = key;
    }

    /** Closed-loop single events: as many as {@code concurrency} senders get answered in the time. */
    record ClosedLoop(String label, int concurrency, int sent, int accepted, int failures, List<String> failureSamples,
                      long nanos, long[] responseNanos, CpuMeter.Usage cpu) {
        double acceptedPerSecond() {
            return Stats.perSecond(accepted, nanos);
        }
    }

    /**
     * Open-loop single events: {@code latencyNanos} from the due time (what a client at that rate sees),
     * {@code serviceNanos} from the actual send (what a closed-loop client would report), both ascending.
     */
    record OpenLoop(OpenLoopSchedule schedule, int accepted, int failures, List<String> failureSamples,
                    int notCompleted, long[] latencyNanos, long[] serviceNanos, long[] sendDelayNanos, long nanos,
                    CpuMeter.Usage cpu) {
        double acceptedPerSecond() {
            return Stats.perSecond(accepted, nanos);
        }
    }

    /** Batches of events: requests and events, by outcome. */
    record Batch(int batchSize, int concurrency, int requests, int events, BatchCounts counts, int failedRequests,
                 List<String> failureSamples, long nanos, long[] responseNanos, CpuMeter.Usage cpu) {
        double acceptedPerSecond() {
            return Stats.perSecond(counts.accepted(), nanos);
        }
    }

    /** The results of one {@code POST /v1/events:batch} answer, by status. */
    record BatchCounts(int accepted, int duplicates, int rejected, int missing) {
        static final BatchCounts NONE = new BatchCounts(0, 0, 0, 0);

        BatchCounts plus(BatchCounts o) {
            return new BatchCounts(accepted + o.accepted, duplicates + o.duplicates, rejected + o.rejected,
                    missing + o.missing);
        }

        /**
         * Counts {@code {"results":[{"index","status",...}]}} for a batch of {@code sent} events; an index with
         * no result, or one with an unknown status, is counted as missing.
         */
        static BatchCounts of(JsonNode answer, int sent) {
            int accepted = 0;
            int duplicates = 0;
            int rejected = 0;
            boolean[] seen = new boolean[sent];
            for (JsonNode r : answer.path("results")) {
                int index = r.path("index").asInt(-1);
                if (index < 0 || index >= sent || seen[index]) {
                    continue;
                }
                switch (r.path("status").asText()) {
                    case "accepted" -> accepted++;
                    case "duplicate" -> duplicates++;
                    case "rejected" -> rejected++;
                    default -> {
                        continue;
                    }
                }
                seen[index] = true;
            }
            return new BatchCounts(accepted, duplicates, rejected, sent - accepted - duplicates - rejected);
        }
    }

    /**
     * How long the projections took to go quiet; {@code caughtUpNanos} is when they last made progress;
     * {@code residualLag} lists the partitions still showing a lag (of one offset at most, or the wait would
     * not have ended) when they were declared quiet, as {@code projection topic-partition=lag}.
     */
    record Quiet(boolean reached, long caughtUpNanos, long waitedNanos, long recordsProcessed,
                 List<String> residualLag) {
    }

    /** Declares {@value #EVENT_TYPE} with its schema; no rule gives it points (see the report). */
    void declare() throws IOException, InterruptedException {
        HttpResponse<String> type = post("/v1/admin/event-types", "{\"name\":\"" + EVENT_TYPE + "\","
                + "\"description\":\"Benchmark purchase (ingest scenarios)\",\"event_data_schema\":" + SCHEMA + "}");
        if (type.statusCode() != 201) {
            throw new IllegalStateException("declaring " + EVENT_TYPE + " answered " + type.statusCode() + ": "
                    + type.body());
        }
        // the schema is checked: an event without currency must be refused before anything is measured
        HttpResponse<String> bad = post("/v1/events", "{\"event_type\":\"" + EVENT_TYPE
                + "\",\"user_id\":\"p-check\",\"event_data\":{\"amount\":1}}");
        if (bad.statusCode() != 422) {
            throw new IllegalStateException("an event missing a required field answered " + bad.statusCode()
                    + ", not 422: " + bad.body());
        }
    }

    /** The envelope of event {@code i}: a purchase of user {@code prefix + (i mod users)}. */
    static String event(int i, int users, String userPrefix) {
        return "{\"event_type\":\"" + EVENT_TYPE + "\",\"user_id\":\"" + userPrefix + (i % users)
                + "\",\"event_data\":{\"amount\":" + String.format(Locale.ROOT, "%d.%02d", 1 + i % 500, i % 100)
                + ",\"currency\":\"" + CURRENCIES[i % CURRENCIES.length] + "\",\"sku\":\"sku-" + (i % 250) + "\"}}";
    }

    /**
     * {@code concurrency} senders post single events back to back until {@code duration} is over or
     * {@code limit} events were sent.
     */
    ClosedLoop closedLoop(String label, Duration duration, int limit, int concurrency, int users, String userPrefix)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        List<LongStream.Builder> times = new ArrayList<>();
        CpuMeter cpu = CpuMeter.start();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < concurrency; s++) {
            LongStream.Builder mine = LongStream.builder();
            times.add(mine);
            senders.add(Thread.ofVirtual().name("ingest-sender-" + s).start(() -> {
                int i;
                while (System.nanoTime() < end && (i = next.getAndIncrement()) < limit) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = post("/v1/events", event(i, users, userPrefix));
                        mine.add(System.nanoTime() - start);
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            failed(failures, samples, r.statusCode() + " " + r.body());
                        }
                    } catch (IOException e) {
                        mine.add(System.nanoTime() - start);
                        failed(failures, samples, e.toString());
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
        long nanos = System.nanoTime() - t0;
        CpuMeter.Usage usage = cpu.stop();
        long[] resp = times.stream().flatMapToLong(LongStream.Builder::build).sorted().toArray();
        return new ClosedLoop(label, concurrency, resp.length, accepted.get(), failures.get(), List.copyOf(samples),
                nanos, resp, usage);
    }

    /**
     * Posts single events on {@code schedule}: request {@code i} is started at its due time by a virtual
     * thread of its own, whether or not the earlier ones were answered (open loop). The response time of
     * each is measured from its due time.
     */
    OpenLoop openLoop(OpenLoopSchedule schedule, int users, String userPrefix, Duration timeout)
            throws InterruptedException {
        int n = schedule.count();
        long[] sentAt = new long[n];
        long[] completedAt = new long[n];
        Arrays.fill(completedAt, OpenLoopSchedule.NOT_COMPLETED);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        Thread[] requests = new Thread[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = event(i, users, userPrefix);
        }
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < n; i++) {
            long due = start + schedule.offsetNanos(i);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            requests[i] = Thread.ofVirtual().start(() -> {
                sentAt[index] = System.nanoTime();
                try {
                    HttpResponse<String> r = post("/v1/events", bodies[index]);
                    completedAt[index] = System.nanoTime();
                    if (r.statusCode() == 202) {
                        accepted.incrementAndGet();
                    } else {
                        failed(failures, samples, r.statusCode() + " " + r.body());
                    }
                } catch (IOException e) {
                    completedAt[index] = System.nanoTime(); // an error is an answer too: its time counts
                    failed(failures, samples, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        long joinUntil = System.nanoTime() + timeout.toNanos();
        int notCompleted = 0;
        for (Thread t : requests) {
            if (!t.join(Duration.ofNanos(Math.max(1, joinUntil - System.nanoTime())))) {
                t.interrupt();
                notCompleted++;
            }
        }
        long last = start;
        long[] service = new long[n];
        int served = 0;
        for (int i = 0; i < n; i++) {
            if (completedAt[i] != OpenLoopSchedule.NOT_COMPLETED) {
                last = Math.max(last, completedAt[i]);
                service[served++] = completedAt[i] - sentAt[i];
            }
        }
        long nanos = last - start;
        CpuMeter.Usage usage = cpu.stop();
        long[] serviceSorted = Arrays.copyOf(service, served);
        Arrays.sort(serviceSorted);
        return new OpenLoop(schedule, accepted.get(), failures.get(), List.copyOf(samples), notCompleted,
                schedule.latencies(start, completedAt), serviceSorted, schedule.sendDelays(start, sentAt), nanos, usage);
    }

    /**
     * {@code concurrency} senders post batches of {@code batchSize} events back to back until the time is over
     * or {@code limit} batches were sent.
     */
    Batch batches(Duration duration, int limit, int concurrency, int batchSize, int users, String userPrefix)
            throws InterruptedException {
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicInteger failedRequests = new AtomicInteger();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<BatchCounts> counts = new ConcurrentLinkedQueue<>();
        List<LongStream.Builder> times = new ArrayList<>();
        CpuMeter cpu = CpuMeter.start();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < concurrency; s++) {
            LongStream.Builder mine = LongStream.builder();
            times.add(mine);
            senders.add(Thread.ofVirtual().name("batch-sender-" + s).start(() -> {
                BatchCounts total = BatchCounts.NONE;
                try {
                    int b;
                    while (System.nanoTime() < end && (b = nextBatch.getAndIncrement()) < limit) {
                        StringBuilder body = new StringBuilder(batchSize * 140).append("{\"events\":[");
                        for (int k = 0; k < batchSize; k++) {
                            body.append(k == 0 ? "" : ",").append(event(b * batchSize + k, users, userPrefix));
                        }
                        body.append("]}");
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> r = post("/v1/events:batch", body.toString());
                            mine.add(System.nanoTime() - start);
                            if (r.statusCode() == 200) {
                                BatchCounts c = BatchCounts.of(json.readTree(r.body()), batchSize);
                                total = total.plus(c);
                                if (c.accepted() != batchSize) {
                                    sample(samples, "batch " + b + ": " + c + " "
                                            + r.body().substring(0, Math.min(300, r.body().length())));
                                }
                            } else {
                                failedRequests.incrementAndGet();
                                total = total.plus(new BatchCounts(0, 0, 0, batchSize));
                                sample(samples, r.statusCode() + " " + r.body());
                            }
                        } catch (IOException e) {
                            mine.add(System.nanoTime() - start);
                            failedRequests.incrementAndGet();
                            total = total.plus(new BatchCounts(0, 0, 0, batchSize));
                            sample(samples, e.toString());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    counts.add(total);
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        long nanos = System.nanoTime() - t0;
        CpuMeter.Usage usage = cpu.stop();
        long[] resp = times.stream().flatMapToLong(LongStream.Builder::build).sorted().toArray();
        BatchCounts sum = counts.stream().reduce(BatchCounts.NONE, BatchCounts::plus);
        int requests = resp.length;
        return new Batch(batchSize, concurrency, requests, requests * batchSize, sum, failedRequests.get(),
                samples.stream().limit(5).toList(), nanos, resp, usage);
    }

    /**
     * Waits until the projections have had nothing to do for a second: the sum of their
     * {@code records_processed} (GET /v1/ops/projections) has not moved, and no partition lags by more than one
     * offset (a transaction's commit marker is an offset no record fills).
     */
    Quiet awaitQuiet(Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long lastValue = -1;
        long lastChange = t0;
        while (true) {
            JsonNode ops = getJson("/v1/ops/projections");
            long processed = 0;
            boolean lagging = false;
            List<String> residual = new ArrayList<>();
            for (JsonNode p : ops.path("projections")) {
                processed += p.path("records_processed").asLong(0) + p.path("dead_lettered").asLong(0);
                for (JsonNode part : p.path("partitions")) {
                    long lag = part.path("lag").asLong(0);
                    lagging |= lag > 1;
                    if (lag > 0) {
                        residual.add(p.path("name").asText() + " " + part.path("topic").asText() + "-"
                                + part.path("partition").asText() + "=" + lag);
                    }
                }
            }
            long now = System.nanoTime();
            if (processed != lastValue) {
                lastValue = processed;
                lastChange = now;
            } else if (!lagging && now - lastChange >= QUIET_FOR.toNanos()) {
                return new Quiet(true, lastChange - t0, now - t0, processed, List.copyOf(residual));
            }
            if (now > deadline) {
                return new Quiet(false, lastChange - t0, now - t0, processed, List.copyOf(residual));
            }
            Thread.sleep(QUIET_POLL);
        }
    }

    private static void failed(AtomicInteger failures, ConcurrentLinkedQueue<String> samples, String what) {
        failures.incrementAndGet();
        sample(samples, what);
    }

    private static void sample(ConcurrentLinkedQueue<String> samples, String what) {
        if (samples.size() < 5) {
            samples.add(what.length() > 300 ? what.substring(0, 300) + "…" : what);
        }
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
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
}
