package io.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.badge.challenge.engine.ChallengeEngine;
import io.laurel.badge.challenge.engine.ChallengeOutcome;
import io.laurel.badge.challenge.engine.InMemoryChallengeState;
import io.laurel.badge.rule.Award;
import io.laurel.badge.rule.BadgeEngine;
import io.laurel.badge.rule.InMemoryBadgeState;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.testkit.TestEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Badge evaluation throughput: a tenant with 100 badge definitions (first, count with and without a
 * condition, repeatable counts, day and week streaks, attendance windows with tracks) over ten event types;
 * accepted events produced straight to {@code laurel.events} and timed until the badge projection has stored
 * the end offset of every partition (its awards are written in the same transaction); the awards checked
 * against the in-memory {@link BadgeEngine} over the same events. The same tenant has 20 challenges (per type an
 * unordered one of first, conditional count and streak steps, and an ordered one of a count, a badge and an
 * event of the next type), folded by the same projection and checked against the {@link ChallengeEngine}.
 */
final class BadgeLoad {
    static final String TENANT = "bench-badges";
    static final int TYPES = 10;
    static final int USERS = 10_000;

    private final int port;
    private final String adminKey;
    private final TestEnvironment env;
    private final Supplier<String> liveSchema;
    private final Function<String, List<BadgeDefinition>> badgesOf;
    private final Function<String, List<ChallengeDefinition>> challengesOf;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private String key;
    private int runs;

    record Result(int definitions, int challenges, int events, long produceNanos, long evaluatedNanos, long awards,
                  long expectedAwards, long stepsPassed, long expectedStepsPassed, long completions,
                  long expectedCompletions, CpuMeter.Usage cpu) {
        double perSecond() {
            return evaluatedNanos < 0 ? Double.NaN : Stats.perSecond(events, evaluatedNanos);
        }

        boolean exact() {
            return awards == expectedAwards && stepsPassed == expectedStepsPassed && completions == expectedCompletions;
        }
    }

    BadgeLoad(int port, String adminKey, TestEnvironment env, Supplier<String> liveSchema,
              Function<String, List<BadgeDefinition>> badgesOf,
              Function<String, List<ChallengeDefinition>> challengesOf) {
        this.challengesOf = challengesOf;
        this.port = port;
        this.adminKey = adminKey;
        this.env = env;
        this.liveSchema = liveSchema;
        this.badgesOf = badgesOf;
    }

    /** The tenant, its ten event types and its 100 badges. */
    void declare() throws Exception {
        send("/v1/admin/tenants", adminKey, "{\"id\":\"" + TENANT + "\",\"name\":\"Bench badges\"}", 201, 409);
        JsonNode k = LaurelJson.mapper().readTree(send("/v1/admin/tenants/" + TENANT + "/api-keys", adminKey,
                "{\"name\":\"bench\",\"scopes\":[\"catalog:write\",\"catalog:read\",\"badges:read\"]}", 201));
        key = k.path("key").asText();
        for (int t = 0; t < TYPES; t++) {
            String type = "act" + t;
            send("/v1/admin/event-types", key, "{\"name\":\"" + type + "\",\"event_data_schema\":{\"properties\":"
                    + "{\"amount\":\"integer\",\"track\":\"string\"}}}", 201, 409);
            List<String> badges = List.of(
                    "{\"kind\":\"first\"}",
                    "{\"kind\":\"count\",\"threshold\":5}",
                    "{\"kind\":\"count\",\"threshold\":20}",
                    "{\"kind\":\"count\",\"threshold\":3,\"repeatable\":true}",
                    "{\"kind\":\"count\",\"threshold\":4,\"condition\":\"amount > 50\"}",
                    "{\"kind\":\"count\",\"threshold\":10,\"repeatable\":true,\"condition\":\"amount % 2 == 0\"}",
                    "{\"kind\":\"streak\",\"threshold\":3}",
                    "{\"kind\":\"streak\",\"threshold\":2,\"streak_unit\":\"week\"}",
                    "{\"kind\":\"attendance\",\"sessions\":[" + sessions(false) + "]}",
                    "{\"kind\":\"attendance\",\"repeatable\":true,\"sessions\":[" + sessions(true) + "]}");
            for (int b = 0; b < badges.size(); b++) {
                String body = badges.get(b);
                send("/v1/admin/badges", key, "{\"id\":\"" + type + "-b" + b + "\",\"event_type\":\"" + type + "\","
                        + body.substring(1), 201, 409);
            }
        }
        for (int t = 0; t < TYPES; t++) {
            String type = "act" + t;
            String next = "act" + (t + 1) % TYPES;
            send("/v1/admin/challenges", key, "{\"id\":\"" + type + "-c0\",\"steps\":[{\"kind\":\"first\",\"event_type\":\""
                    + type + "\"},{\"kind\":\"count\",\"event_type\":\"" + type + "\",\"threshold\":5,\"condition\":"
                    + "\"amount > 20\"},{\"kind\":\"streak\",\"event_type\":\"" + type + "\",\"threshold\":2}]}", 201, 409);
            send("/v1/admin/challenges", key, "{\"id\":\"" + type + "-c1\",\"ordered\":true,\"steps\":[{\"kind\":"
                    + "\"count\",\"event_type\":\"" + type + "\",\"threshold\":3},{\"kind\":\"badge\",\"badge_id\":\""
                    + type + "-b1\"},{\"kind\":\"first\",\"event_type\":\"" + next + "\"}]}", 201, 409);
        }
    }

    /** Two-hour sessions on each of the ten days before now; with tracks, two parallel ones. */
    private static String sessions(boolean tracks) {
        Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < 10; d++) {
            Instant start = base.minus(Duration.ofDays(d)).plus(Duration.ofHours(9));
            for (String track : tracks ? List.of("a", "b") : List.of("")) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append("{\"id\":\"d").append(d).append(track).append("\",\"start\":\"").append(start)
                        .append("\",\"end\":\"").append(start.plus(Duration.ofHours(2))).append('"');
                if (!track.isEmpty()) {
                    b.append(",\"track\":\"").append(track).append('"');
                }
                b.append('}');
            }
        }
        return b.toString();
    }

    Result run(int count, Duration timeout) throws Exception {
        List<BadgeDefinition> definitions = badgesOf.apply(TENANT);
        if (definitions.size() != TYPES * 10) {
            throw new IllegalStateException("expected " + TYPES * 10 + " badges in the catalog, found " + definitions.size());
        }
        List<ChallengeDefinition> challenges = challengesOf.apply(TENANT);
        if (challenges.size() != TYPES * 2) {
            throw new IllegalStateException("expected " + TYPES * 2 + " challenges in the catalog, found " + challenges.size());
        }
        String users = "bb" + (++runs) + "-";
        SplittableRandom random = new SplittableRandom(17 + runs);
        Instant now = Instant.now();
        List<EventAccepted> events = new ArrayList<>(count);
        String[] tracks = {"a", "b", "c"};
        for (int i = 0; i < count; i++) {
            // spread over ten days, a third of them inside the morning sessions
            Instant day = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(random.nextInt(10)));
            Instant at = random.nextInt(3) == 0 ? day.plus(Duration.ofMinutes(9 * 60 + random.nextInt(150)))
                    : day.plus(Duration.ofSeconds(random.nextInt(86_400)));
            if (at.isAfter(now)) {
                at = now;
            }
            events.add(new EventAccepted(java.util.UUID.randomUUID().toString(), TENANT, "act" + random.nextInt(TYPES), 1,
                    users + random.nextInt(USERS), JsonNodeFactory.instance.objectNode()
                    .put("amount", random.nextInt(100)).put("track", tracks[random.nextInt(3)]),
                    EventAction.CREATE, null, at, now, List.of(), 0L));
        }
        ProjectionProgress.Timing timing = ProjectionProgress.produceEventsAndAwait(env, events, "badges", timeout);
        long produced = timing.producedNanos();
        long evaluated = timing.storedNanos();
        CpuMeter.Usage usage = timing.cpu();
        // the model: the same engines over the same events, in the order of each user's partition, as the
        // projection applies them (an event's awards, then the event in the challenges, then its awards)
        BadgeEngine engine = new BadgeEngine();
        InMemoryBadgeState state = new InMemoryBadgeState();
        ChallengeEngine challengeEngine = new ChallengeEngine();
        InMemoryChallengeState challengeState = new InMemoryChallengeState();
        long expected = 0;
        long expectedSteps = 0;
        long expectedCompletions = 0;
        for (EventAccepted e : events) {
            List<Award> awards = engine.onEvent(e, definitions, ZoneOffset.UTC, state);
            expected += awards.size();
            List<ChallengeOutcome> outcomes = new ArrayList<>(challengeEngine.onEvent(e, challenges, ZoneOffset.UTC,
                    challengeState));
            for (Award a : awards) {
                outcomes.addAll(challengeEngine.onAward(a.tenant(), a.userId(), a.badgeId(), a.awardedAt(), a.awardId(),
                        challenges, challengeState));
            }
            for (ChallengeOutcome o : outcomes) {
                if (o.completed()) {
                    expectedCompletions++;
                } else {
                    expectedSteps++;
                }
            }
        }
        long awards = count("SELECT count(*) FROM " + liveSchema.get() + ".awards WHERE tenant = ? AND user_id LIKE ?", users);
        long steps = count("SELECT coalesce(sum(steps_passed), 0) FROM " + liveSchema.get() + ".challenge_progress"
                + " WHERE tenant = ? AND user_id LIKE ?", users);
        long completions = count("SELECT count(*) FROM " + liveSchema.get() + ".challenge_progress WHERE tenant = ?"
                + " AND user_id LIKE ? AND completed_at IS NOT NULL", users);
        return new Result(definitions.size(), challenges.size(), count, produced, evaluated, awards, expected, steps,
                expectedSteps, completions, expectedCompletions, usage);
    }

    private long count(String sql, String users) throws Exception {
        try (Connection c = env.openConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, TENANT);
            ps.setString(2, users + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String send(String path, String key, String body, int... expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (r.statusCode() == status) {
                return r.body();
            }
        }
        throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }

    // ---------------------------------------------------------------------------------------------- report

    static void text(StringBuilder b, Result r, Baselines.Result upsert) {
        b.append(String.format(Locale.ROOT, "badges        = %s events/s evaluated against %d badges and %d challenges"
                        + " (%s of bare upsert); %,d events, %,d awards, %,d steps passed, %,d challenges completed (%s)%n",
                Stats.formatRate(r.perSecond()), r.definitions(), r.challenges(),
                Stats.formatRatio(r.perSecond() / upsert.perSecond()), r.events(), r.awards(), r.stepsPassed(),
                r.completions(), r.exact() ? "equal to the in-memory engines" : "MISMATCH: the engines give "
                        + r.expectedAwards() + " / " + r.expectedStepsPassed() + " / " + r.expectedCompletions()));
    }

    static void markdown(StringBuilder b, Result r, Baselines.Result upsert) {
        b.append("## Badge and challenge evaluation (`laurel.events` → progress and awards)\n\n");
        b.append(String.format(Locale.ROOT, "Tenant `%s` with %d badge definitions over %d event types (per type: first;"
                + " counts of 5 and 20; a repeatable count of 3; counts with a condition on `event_data`; day and week"
                + " streaks; attendance in ten two-hour sessions, one with two parallel tracks) and %d challenges (per type"
                + " an unordered one: first, a count of 5 with a condition, a 2-day streak; an ordered one: a count of 3,"
                + " the type's count-of-5 badge, an event of the next type). %,d accepted events of"
                + " %,d users over ten days produced straight to `laurel.events`, timed until the badge projection had"
                + " stored the end offset of every partition (progress and awards are written in the same transaction,"
                + " awards published to `laurel.achievements`). The scoring and event-log projections read the same"
                + " events meanwhile.%n%n", TENANT, r.definitions(), TYPES, r.challenges(), r.events(), USERS));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events evaluated / s | %s | %s: %s rows/s | %s |%n",
                Stats.formatRate(r.perSecond()), upsert.name(), Stats.formatRate(upsert.perSecond()),
                Stats.formatRatio(r.perSecond() / upsert.perSecond())));
        b.append(String.format(Locale.ROOT, "| awards | %,d (in-memory engine: %,d) | | |%n", r.awards(),
                r.expectedAwards()));
        b.append(String.format(Locale.ROOT, "| challenge steps passed | %,d (in-memory engine: %,d) | | |%n", r.stepsPassed(),
                r.expectedStepsPassed()));
        b.append(String.format(Locale.ROOT, "| challenges completed | %,d (in-memory engine: %,d) | | |%n%n", r.completions(),
                r.expectedCompletions()));
        b.append(r.exact() ? "The awards, steps passed and completions equal, in number, what the badge and challenge engines"
                + " compute in memory over the same events.\n\n"
                : "**The awards, steps or completions differ from the in-memory engines.**\n\n");
        b.append("While evaluating: ").append(Double.isNaN(r.cpu().machineBusy()) ? "machine load unknown."
                : String.format(Locale.ROOT, "machine %.0f%% busy.", r.cpu().machineBusy() * 100)).append("\n\n");
    }
}
