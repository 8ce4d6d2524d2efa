package io.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.scoring.rule.InMemoryScoringState;
import io.laurel.scoring.rule.RulesEngine;
import io.laurel.testkit.TestEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The scoring scenario: (1) accepted events produced straight to {@code laurel.events}, scored by the
 * platform's scoring projection into the ledger and balances (all other projections running too), timed
 * until the projection has committed every record, and checked against the rules engine run in memory over
 * the same events; (2) {@code POST /v1/redemptions} at a fixed concurrency, spread over many wallets and
 * all on one wallet, beside a bare PostgreSQL baseline of one short transaction per request.
 */
final class ScoringLoad {
    static final String EVENT_TYPE = "bench_order";
    static final double PROJECTION_TARGET_PER_SECOND = 20_000;
    private static final String USER_PREFIX = "s-";
    private static final int USERS = 10_000;

    private final int port;
    private final String key;
    private final TestEnvironment env;
    private final Supplier<String> liveSchema;
    private final java.util.function.LongSupplier catalogPosition;
    /** The users of the latest projection run: each run has its own, so the model starts from nothing. */
    private String users = USER_PREFIX + "0-";
    private int runs;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private List<RuleDefinition> rules = List.of();

    /** The projection run: events, time to be fully scored, the check against the model. */
    record Projection(int events, long produceNanos, long scoredNanos, long entries, long expectedEntries,
                      Map<String, Long> earnedByCurrency, Map<String, Long> expectedByCurrency, CpuMeter.Usage cpu) {
        double perSecond() {
            return scoredNanos < 0 ? Double.NaN : Stats.perSecond(events, scoredNanos);
        }

        boolean exact() {
            return entries == expectedEntries && earnedByCurrency.equals(expectedByCurrency);
        }
    }

    /** One redemption run. */
    record Redemptions(String shape, int concurrency, long nanos, int completed, int refused, int failed,
                       long[] responseNanos, List<String> failureSamples) {
        double completedPerSecond() {
            return Stats.perSecond(completed + refused, nanos);
        }
    }

    /** Everything the scenario measured, and its baselines. */
    record Results(Projection projection, Redemptions spread, Redemptions oneWallet, Baselines.Result transactions,
                   Baselines.Result upsert) {
        boolean targetMet() {
            return projection.perSecond() >= PROJECTION_TARGET_PER_SECOND;
        }
    }

    ScoringLoad(int port, String key, TestEnvironment env, Supplier<String> liveSchema,
                java.util.function.LongSupplier catalogPosition) {
        this.port = port;
        this.key = key;
        this.env = env;
        this.liveSchema = liveSchema;
        this.catalogPosition = catalogPosition;
    }

    /** The event type and four rules: fixed, conditional expression with a daily cap, once-per-user, penalty. */
    void declare() throws Exception {
        post("/v1/admin/event-types", "{\"name\":\"" + EVENT_TYPE + "\",\"event_data_schema\":{\"required\":[\"amount\"],"
                + "\"properties\":{\"amount\":\"number\",\"channel\":\"string\"}}}", 201, 409);
        post("/v1/admin/rules", "{\"name\":\"order\",\"event_type\":\"" + EVENT_TYPE + "\",\"points\":10}", 201);
        post("/v1/admin/rules", "{\"name\":\"coins\",\"event_type\":\"" + EVENT_TYPE + "\",\"currency\":\"coins\","
                + "\"condition\":\"amount >= 5 && channel != 'test'\",\"points_expression\":\"floor(amount / 10)\","
                + "\"cap\":{\"period\":\"day\",\"max_points\":40}}", 201);
        post("/v1/admin/rules", "{\"name\":\"first order\",\"event_type\":\"" + EVENT_TYPE + "\",\"points\":50,"
                + "\"once_per_user\":true}", 201);
        post("/v1/admin/rules", "{\"name\":\"test orders cost\",\"event_type\":\"" + EVENT_TYPE + "\",\"points\":-5,"
                + "\"condition\":\"channel == 'test'\"}", 201);
        List<RuleDefinition> list = new ArrayList<>();
        for (JsonNode r : getJson("/v1/admin/rules").get("rules")) {
            RuleDefinition rule = LaurelJson.mapper().treeToValue(r, RuleDefinition.class);
            if (rule.eventType().equals(EVENT_TYPE)) {
                list.add(rule);
            }
        }
        list.sort(java.util.Comparator.comparing(RuleDefinition::id));
        rules = List.copyOf(list);
    }

    Projection project(int count, Duration timeout) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        users = USER_PREFIX + (++runs) + "-";
        // stamped as the ingest service stamps what it accepts: how far its catalog view had read
        long position = catalogPosition.getAsLong();
        Instant received = Instant.now();
        List<EventAccepted> events = new ArrayList<>(count);
        String[] channels = {"web", "app", "store", "test"};
        for (int i = 0; i < count; i++) {
            Instant occurred = received.minusSeconds(random.nextInt(3 * 24 * 3600));
            events.add(new EventAccepted(java.util.UUID.randomUUID().toString(), "default", EVENT_TYPE, 1,
                    users + random.nextInt(USERS), JsonNodeFactory.instance.objectNode()
                    .put("amount", random.nextInt(1, 20_000) / 100.0).put("channel", channels[random.nextInt(4)]),
                    EventAction.CREATE, null, occurred, received, List.of(), position));
        }
        ProjectionProgress.Timing timing = ProjectionProgress.produceEventsAndAwait(env, events, "scoring", timeout);
        long produced = timing.producedNanos();
        long scored = timing.storedNanos();
        CpuMeter.Usage usage = timing.cpu();

        RulesEngine engine = new RulesEngine();
        InMemoryScoringState state = new InMemoryScoringState();
        Map<String, Long> expected = new java.util.TreeMap<>();
        long expectedEntries = 0;
        for (EventAccepted e : events) {
            for (PointsEntry p : engine.score(e, rules, ZoneOffset.UTC, state)) {
                expectedEntries++;
                if (p.kind() != PointsEntryKind.REDEEMED) {
                    expected.merge(p.currency(), p.points(), Long::sum);
                }
            }
        }
        Map<String, Long> earned = new java.util.TreeMap<>();
        long entries;
        String schema = liveSchema.get();
        try (Connection c = env.openConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT currency, sum(earned) FROM " + schema + ".balances WHERE tenant ="
                    + " 'default' AND user_id LIKE '" + users + "%' GROUP BY currency")) {
                while (rs.next()) {
                    earned.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".ledger WHERE tenant = 'default'"
                    + " AND user_id LIKE '" + users + "%'")) {
                rs.next();
                entries = rs.getLong(1);
            }
        }
        return new Projection(count, produced, scored, entries, expectedEntries, earned, expected, usage);
    }

    /**
     * {@code concurrency} senders post redemptions of 1 point for {@code duration}: to random users of the
     * projection run ({@code oneWallet} false), or all to one user's wallet.
     */
    private final java.util.concurrent.atomic.AtomicInteger redemptionRuns = new java.util.concurrent.atomic.AtomicInteger();

    Redemptions redeem(Duration duration, int concurrency, boolean oneWallet) throws Exception {
        String rich = users + "rich";
        if (oneWallet) {
            // one wallet with more than enough points, so every redemption on it completes
            post("/v1/score-events", "{\"user_id\":\"" + rich + "\",\"points\":1000000000,\"description\":\"bench\"}", 201);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (getJson("/v1/users/" + rich + "/points").at("/balances/0/available").asLong() < 1_000_000_000L) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the score event for " + rich + " was not scored within 60 s");
                }
                Thread.sleep(50);
            }
        }
        ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong completed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        int run = redemptionRuns.incrementAndGet(); // each run its own idempotency keys: a warm-up's keys are not reused
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < concurrency; s++) {
            int sender = s;
            senders.add(Thread.ofVirtual().start(() -> {
                SplittableRandom random = new SplittableRandom(sender);
                while (System.nanoTime() < end) {
                    String user = oneWallet ? rich : users + random.nextInt(USERS);
                    String body = "{\"user_id\":\"" + user + "\",\"points\":1,\"description\":\"bench\","
                            + "\"idempotency_key\":\"bench-" + run + (oneWallet ? "-one-" : "-spread-") + seq.incrementAndGet() + "\"}";
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request("/v1/redemptions").POST(
                                HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        times.add(System.nanoTime() - t0);
                        if (r.statusCode() == 201) {
                            completed.incrementAndGet();
                        } else if (r.statusCode() == 409) {
                            refused.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            if (failures.size() < 5) {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        if (failures.size() < 5) {
                            failures.add(e.toString());
                        }
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        long nanos = System.nanoTime() - start;
        long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Redemptions(oneWallet ? "one wallet" : "spread over " + String.format(Locale.ROOT, "%,d", USERS)
                + " wallets", concurrency, nanos, (int) completed.get(), (int) refused.get(), (int) failed.get(), sorted,
                List.copyOf(failures));
    }

    /**
     * The baseline of a redemption: per request, one short PostgreSQL transaction (insert a row, commit) from
     * {@code concurrency} threads for {@code duration}.
     */
    Baselines.Result bareTransactions(Duration duration, int concurrency) throws Exception {
        try (Connection c = env.openConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS bench_tx (id bigserial PRIMARY KEY, wallet text, points bigint)");
        }
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (Connection c = env.openConnection();
                     PreparedStatement ps = c.prepareStatement("INSERT INTO bench_tx (wallet, points) VALUES (?, 1)")) {
                    c.setAutoCommit(false);
                    while (System.nanoTime() < end) {
                        ps.setString(1, "w" + done.get() % 100);
                        ps.executeUpdate();
                        c.commit();
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Baselines.Result("bare PostgreSQL transaction (insert + commit)", done.get(), System.nanoTime() - start);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60));
    }

    private void post(String path, String body, int... expected) throws Exception {
        HttpResponse<String> r = http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (r.statusCode() == status) {
                return;
            }
        }
        throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return LaurelJson.mapper().readTree(r.body());
    }

    // ---------------------------------------------------------------------------------------------- report

    static void text(StringBuilder b, Results r) {
        Projection p = r.projection();
        b.append(String.format(Locale.ROOT, "scoring       = %s events/s projected to balances (%s of bare upsert);"
                        + " %,d events, produced in %.2f s, scored at %s; %s%n", Stats.formatRate(p.perSecond()),
                Stats.formatRatio(p.perSecond() / r.upsert().perSecond()), p.events(), p.produceNanos() / 1e9,
                p.scoredNanos() < 0 ? "not within the timeout" : String.format(Locale.ROOT, "%.2f s", p.scoredNanos() / 1e9),
                p.exact() ? "balances and ledger equal the in-memory model" : "MISMATCH with the model: " + p.earnedByCurrency()
                        + " vs " + p.expectedByCurrency() + ", entries " + p.entries() + " vs " + p.expectedEntries()));
        for (Redemptions d : List.of(r.spread(), r.oneWallet())) {
            b.append(String.format(Locale.ROOT, "redemptions   = %s answered/s, %s (%d senders): %,d completed, %,d refused,"
                            + " %d failed; p50 %s ms, p99 %s ms (%s of bare transactions)%n",
                    Stats.formatRate(d.completedPerSecond()), d.shape(), d.concurrency(), d.completed(), d.refused(),
                    d.failed(), Stats.formatMillis(Stats.percentile(d.responseNanos(), 50)),
                    Stats.formatMillis(Stats.percentile(d.responseNanos(), 99)),
                    Stats.formatRatio(d.completedPerSecond() / r.transactions().perSecond())));
        }
        b.append(String.format(Locale.ROOT, "target scoring >= %s events/s: %s%n",
                Stats.formatRate(PROJECTION_TARGET_PER_SECOND), r.targetMet() ? "MET" : "NOT MET ("
                        + Stats.formatRatio(p.perSecond() / PROJECTION_TARGET_PER_SECOND) + " of the target)"));
    }

    static void markdown(StringBuilder b, Results r, String command) {
        Projection p = r.projection();
        b.append("## Scoring projection (`laurel.events` → ledger and balances)\n\n");
        b.append(String.format(Locale.ROOT, "%,d accepted events of `%s` produced straight to `laurel.events` (%,d users,"
                + " `occurred_at` spread over three days), scored by the running platform's scoring projection under"
                + " four rules: 10 points each; `floor(amount / 10)` coins when `amount >= 5 && channel != 'test'`,"
                + " capped at 40 coins per user and day; 50 points once per user; −5 points when `channel == 'test'`."
                + " The other projections (event log, leaderboard) run as well. Timed from the first record sent to the"
                + " moment the scoring projection had stored the end offset of every partition (its balances are"
                + " written in the same transaction).%n%n", p.events(), EVENT_TYPE, USERS));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events projected / s | %s | %s: %s rows/s | %s |%n",
                Stats.formatRate(p.perSecond()), r.upsert().name(), Stats.formatRate(r.upsert().perSecond()),
                Stats.formatRatio(p.perSecond() / r.upsert().perSecond())));
        b.append(String.format(Locale.ROOT, "| producing the events took | %.2f s | | |%n", p.produceNanos() / 1e9));
        b.append(String.format(Locale.ROOT, "| journal entries written | %,d (model: %,d) | | |%n", p.entries(),
                p.expectedEntries()));
        b.append(String.format(Locale.ROOT, "| points earned by currency | %s (model: %s) | | |%n%n", p.earnedByCurrency(),
                p.expectedByCurrency()));
        b.append(p.exact() ? "The ledger and the balances equal, exactly, what the rules engine computes in memory over the"
                + " same events.\n\n" : "**The ledger or the balances differ from the in-memory model.**\n\n");
        b.append(String.format(Locale.ROOT, "Target ≥ %s events/s: %s.%n%n", Stats.formatRate(PROJECTION_TARGET_PER_SECOND),
                r.targetMet() ? "**met**" : "**not met** (" + Stats.formatRatio(p.perSecond() / PROJECTION_TARGET_PER_SECOND)
                        + " of it)"));
        b.append("While scoring: ").append(cpu(p.cpu(), p.events())).append("\n\n");
        b.append("## Redemptions (`POST /v1/redemptions`, one Axon wallet command each)\n\n");
        b.append("Redemptions of 1 point with an idempotency key, from closed-loop senders, after the scoring run gave")
                .append(" the users points, and after an unmeasured warm-up run of the same length spread over wallets. Each is a wallet command: the aggregate (kept in a cache, else loaded from its")
                .append(" events) decides, its event is appended, and its view is written in the same PostgreSQL transaction. The baseline is one bare PostgreSQL")
                .append(" transaction (insert a row, commit) per request at the same concurrency.\n\n");
        b.append("| run | answered / s | completed | refused (409) | failed | p50 | p99 | baseline | ratio |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (Redemptions d : List.of(r.spread(), r.oneWallet())) {
            b.append(String.format(Locale.ROOT, "| %s, %d senders, %.0f s | %s | %,d | %,d | %d | %s ms | %s ms | %s: %s/s | %s |%n",
                    d.shape(), d.concurrency(), d.nanos() / 1e9, Stats.formatRate(d.completedPerSecond()), d.completed(),
                    d.refused(), d.failed(), Stats.formatMillis(Stats.percentile(d.responseNanos(), 50)),
                    Stats.formatMillis(Stats.percentile(d.responseNanos(), 99)), r.transactions().name(),
                    Stats.formatRate(r.transactions().perSecond()),
                    Stats.formatRatio(d.completedPerSecond() / r.transactions().perSecond())));
        }
        b.append("\nOn one wallet the commands are decided one at a time (that is the point: no overdraw); spread over")
                .append(" wallets they run in parallel.\n\n");
        for (Redemptions d : List.of(r.spread(), r.oneWallet())) {
            if (!d.failureSamples().isEmpty()) {
                b.append("Failures (").append(d.shape()).append("): `").append(String.join("`, `", d.failureSamples()))
                        .append("`\n\n");
            }
        }
    }

    private static String cpu(CpuMeter.Usage u, long events) {
        String jvm = u.jvmCpuNanos() < 0 ? "unknown" : String.format(Locale.ROOT, "%.3f ms per event",
                u.jvmCpuNanos() / 1e6 / Math.max(1, events));
        String machine = Double.isNaN(u.machineBusy()) ? "unknown" : String.format(Locale.ROOT, "%.0f%% busy",
                u.machineBusy() * 100);
        return "JVM CPU " + jvm + " (producer, platform and broker together); machine " + machine + ".";
    }
}
