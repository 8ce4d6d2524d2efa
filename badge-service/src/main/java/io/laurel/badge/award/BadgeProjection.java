package io.laurel.badge.award;

import io.laurel.badge.feature.FeatureRules;
import io.laurel.badge.feature.FeatureUnlocks;
import io.laurel.events.catalog.FeatureDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.badge.challenge.BatchChallengeState;
import io.laurel.badge.challenge.engine.ChallengeEngine;
import io.laurel.badge.challenge.engine.ChallengeOutcome;
import io.laurel.badge.rule.Award;
import io.laurel.badge.rule.BadgeEngine;
import io.laurel.events.EventAccepted;
import io.laurel.events.Keys;
import io.laurel.events.PointsEntry;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.PoisonRecordException;
import io.laurel.runtime.projection.ProjectionTx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.laurel.runtime.projection.DecodedProjection;
import io.laurel.runtime.projection.Decoder;
import io.laurel.runtime.projection.Delivered;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Folds {@code laurel.events} and {@code laurel.points} into badges with the {@link BadgeEngine}: each
 * user's progress toward each badge, and the awards. Every award is published to {@code laurel.achievements}
 * (not while replaying: a rebuild yields the same awards, with the same ids, and announces none). An event or
 * entry seen before changes nothing; grants arrive as events of the system type {@code badge.granted}, so
 * they replay with everything else.
 * <p>
 * The same fold follows the challenges ({@link ChallengeEngine}): each step passed and each completion goes to
 * {@code laurel.achievements}; a completion grants the reward badge in the same transaction and is appended to
 * {@code laurel.events} as an event of the system type {@code challenge.completed} (its id the completion's),
 * which scoring turns into the reward's points. Achievements are not sent while replaying; a completion event is
 * appended once, by whichever generation finds the completion first ({@code ChallengeCompletions}): a rebuild
 * appends those of completions the live run never made (a challenge defined after the fact) and repeats none.
 */
@Component
public class BadgeProjection implements DecodedProjection<Object> {
    public static final String NAME = "badges";

    private final TopicRegistry topics;
    private final io.laurel.runtime.events.SystemEvents systemEvents;
    private final CatalogView catalog;
    private final AwardWaiters waiters;
    private final BadgeEngine engine = new BadgeEngine();
    private final ChallengeEngine challengeEngine = new ChallengeEngine();

    public BadgeProjection(TopicRegistry topics, CatalogView catalog, AwardWaiters waiters,
                           io.laurel.runtime.events.SystemEvents systemEvents) {
        this.systemEvents = systemEvents;
        this.topics = topics;
        this.catalog = catalog;
        this.waiters = waiters;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Decoder<?>> decoders() {
        return Map.of(
                topics.events().name(), Decoder.of(topics.events(), v -> v.eventId() != null && v.tenant() != null
                        && v.userId() != null && v.eventType() != null, "an accepted event"),
                topics.points().name(), Decoder.of(topics.points(), v -> v.entryId() != null && v.tenant() != null
                        && v.userId() != null && v.currency() != null && v.kind() != null, "a points entry"));
    }

    @Override
    public List<String> tables() {
        return List.of("processed", "badge_progress", "awards", "challenge_progress", "feature_unlocks");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".processed (source_id text PRIMARY KEY)");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".badge_progress (tenant text NOT NULL, user_id text NOT NULL,"
                    + " badge_id text NOT NULL, value bigint NOT NULL, last_period bigint NOT NULL, awards int NOT NULL,"
                    + " sessions text[] NOT NULL, PRIMARY KEY (tenant, user_id, badge_id))");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".awards (award_id text PRIMARY KEY, tenant text NOT NULL,"
                    + " user_id text NOT NULL, badge_id text NOT NULL, badge_version int NOT NULL, nth int NOT NULL,"
                    + " awarded_at timestamptz NOT NULL, expires_at timestamptz, source text NOT NULL, reason text,"
                    + " event_data jsonb)");
            // the awarding event's data, for the certificate's {{event.<field>}} and {{user_name}} (added in 0.1: a
            // generation made before has the column added, empty for its earlier awards until a rebuild)
            st.execute("ALTER TABLE " + s + ".awards ADD COLUMN IF NOT EXISTS event_data jsonb");
            st.execute(io.laurel.badge.feature.FeatureUnlocks.ddl(s));
            st.execute("CREATE INDEX IF NOT EXISTS awards_by_user ON " + s + ".awards (tenant, user_id, badge_id)");
            st.execute("CREATE INDEX IF NOT EXISTS awards_by_source ON " + s + ".awards (source)");
            st.execute(BatchChallengeState.ddl(s));
            st.execute(BatchChallengeState.leadersIndex(s));
        }
    }

    /** One record of the batch: an accepted event or a journal entry, and where it came from. */
    private record Input(String id, EventAccepted event, PointsEntry entry, ConsumerRecord<String, byte[]> source) {
        String tenant() {
            return event != null ? event.tenant() : entry.tenant();
        }

        String userId() {
            return event != null ? event.userId() : entry.userId();
        }
    }

    @Override
    public void applyDecoded(List<Delivered<Object>> records, ProjectionTx tx) throws Exception {
        Map<String, Input> inputs = new LinkedHashMap<>();
        long catalogPosition = 0;
        boolean unstamped = false;
        for (Delivered<Object> r : records) {
            switch (r.value()) {
                case EventAccepted e -> {
                    inputs.putIfAbsent("event:" + e.eventId(), new Input("event:" + e.eventId(), e, null, r.source()));
                    if (e.catalogPosition() == null) {
                        unstamped = true;
                    } else {
                        catalogPosition = Math.max(catalogPosition, e.catalogPosition());
                    }
                }
                case PointsEntry p ->
                        inputs.putIfAbsent("entry:" + p.entryId(), new Input("entry:" + p.entryId(), null, p, r.source()));
                default -> throw new PoisonRecordException("neither an accepted event nor a points entry: "
                        + r.value().getClass().getSimpleName());
            }
        }
        // every badge the writer knew of when it accepted these events is known here before they are judged
        boolean caughtUp = unstamped ? catalog.catchUp(Duration.ofSeconds(10))
                : catalog.awaitPosition(catalogPosition, Duration.ofSeconds(10));
        if (!caughtUp) {
            throw new TimeoutException("the catalog could not be caught up");
        }
        Connection c = tx.connection();
        String s = tx.schema();
        Set<String> fresh = markProcessed(c, s, inputs.keySet());
        Set<String> users = new HashSet<>();
        for (Input in : inputs.values()) {
            if (fresh.contains(in.id())) {
                users.add(io.laurel.badge.rule.TenantUsers.key(in.tenant(), in.userId()));
            }
        }
        BatchBadgeState state = new BatchBadgeState(c, s);
        state.preload(users);
        BatchChallengeState challengeState = new BatchChallengeState(c, s);
        challengeState.preload(users);
        // features: what the batch's users have unlocked, read once, and only when their tenants define features
        Map<String, List<FeatureDefinition>> featuresOf = new HashMap<>();
        Set<String> featureUsers = new HashSet<>();
        for (Input in : inputs.values()) {
            if (fresh.contains(in.id()) && !featuresOf.computeIfAbsent(in.tenant(), catalog::features).isEmpty()) {
                featureUsers.add(FeatureUnlocks.key(in.tenant(), in.userId()));
            }
        }
        Map<String, Set<String>> unlockedOf = new HashMap<>(FeatureUnlocks.of(c, s, featureUsers));
        List<FeatureRules.Unlocked> unlocks = new ArrayList<>();
        Map<String, Input> unlockSource = new HashMap<>();
        Map<String, List<ChallengeDefinition>> challengesOf = new HashMap<>();
        Map<String, List<BadgeDefinition>> badgesOf = new HashMap<>();
        Map<String, ZoneId> zones = new HashMap<>();
        List<Award> awards = new ArrayList<>();
        Map<Award, Input> sourceOf = new HashMap<>();
        Map<String, List<io.laurel.events.catalog.LevelDefinition>> levelsOf = new HashMap<>();
        for (Input in : inputs.values()) {
            if (!fresh.contains(in.id())) {
                continue;
            }
            String tenant = in.tenant();
            List<BadgeDefinition> badges = badgesOf.computeIfAbsent(tenant, catalog::badges);
            ZoneId zone = zones.computeIfAbsent(tenant, t -> catalog.tenant(t).map(TenantDefinition::zone)
                    .orElse(ZoneOffset.UTC));
            List<Award> earned;
            List<BadgeEngine.LevelUp> levelUps = List.of();
            if (in.event() != null && SystemTypes.BADGE_GRANTED.equals(in.event().eventType())) {
                earned = grant(in.event(), zone, state);
            } else if (in.event() != null && SystemTypes.FEATURE_GRANTED.equals(in.event().eventType())) {
                earned = List.of();
            } else if (in.event() != null) {
                earned = badges.isEmpty() ? List.of() : engine.onEvent(in.event(), badges, zone, state);
            } else {
                earned = badges.isEmpty() ? List.of() : engine.onPoints(in.entry(), badges, zone, state);
                earnedPoints(in.entry(), state);
                List<io.laurel.events.catalog.LevelDefinition> sets = levelsOf.computeIfAbsent(tenant, catalog::levels);
                levelUps = sets.isEmpty() ? List.of() : engine.onPointsLevels(in.entry(), sets, state);
                for (BadgeEngine.LevelUp up : levelUps) {
                    // a replay announces nothing: not even serialised
                    tx.emit(in.source(), () -> new ProducerRecord<>(topics.achievements().name(),
                            Keys.user(up.tenant(), up.userId()), achievementBytes(levelReached(up))));
                }
            }
            List<ChallengeDefinition> challenges = challengesOf.computeIfAbsent(tenant, catalog::challenges);
            List<Award> all = new ArrayList<>(earned);
            List<ChallengeOutcome> outcomes = new ArrayList<>();
            if (!challenges.isEmpty()) {
                if (in.event() != null) {
                    outcomes.addAll(challengeEngine.onEvent(in.event(), challenges, zone, challengeState));
                } else {
                    outcomes.addAll(challengeEngine.onPoints(in.entry(), challenges, challengeState));
                }
                // badges awarded (by the input, or as a challenge's reward) may pass badge steps, which may complete
                // challenges whose reward badges pass further steps: followed until nothing more happens
                java.util.ArrayDeque<Award> pending = new java.util.ArrayDeque<>(earned);
                int next = 0;
                while (next < outcomes.size() || !pending.isEmpty()) {
                    while (next < outcomes.size()) {
                        ChallengeOutcome o = outcomes.get(next++);
                        if (o.completed()) {
                            for (Award reward : rewardBadge(o, zone, state)) {
                                all.add(reward);
                                pending.add(reward);
                            }
                        }
                    }
                    Award a = pending.poll();
                    if (a != null) {
                        outcomes.addAll(challengeEngine.onAward(a.tenant(), a.userId(), a.badgeId(), a.awardedAt(),
                                a.awardId(), challenges, challengeState));
                    }
                }
                for (ChallengeOutcome o : outcomes) {
                    tx.emit(in.source(), () -> new ProducerRecord<>(topics.achievements().name(),
                            Keys.user(o.tenant(), o.userId()), achievementBytes(challengeAchievement(o))));
                    if (o.completed() && io.laurel.badge.challenge.ChallengeCompletions.claim(c, o)) {
                        // appended by whichever generation finds the completion first, a rebuild included
                        EventAccepted completed = completionEvent(o);
                        tx.append(systemEvents.record(completed));
                    }
                }
            }
            for (Award a : all) {
                awards.add(a);
                sourceOf.put(a, in);
            }
            List<FeatureDefinition> features = featuresOf.getOrDefault(tenant, List.of());
            if (!features.isEmpty()) {
                Set<String> unlocked = unlockedOf.computeIfAbsent(FeatureUnlocks.key(tenant, in.userId()),
                        k -> new HashSet<>());
                for (FeatureRules.Unlocked u : FeatureRules.decide(features, facts(in, all, levelUps, outcomes, state),
                        unlocked)) {
                    unlocked.add(u.featureId());
                    unlocks.add(u);
                    unlockSource.put(u.id(), in);
                }
            }
            if (in.event() != null && waiters != null) {
                String eventId = in.event().eventId();
                List<Award> result = List.copyOf(earned); // what the event itself earned (as a repeat of it is answered)
                tx.afterCommit(in.source(), () -> waiters.processed(eventId, result));
            }
        }
        state.flush();
        challengeState.flush();
        Set<String> inserted = insertAwards(c, s, awards, sourceOf);
        for (Award a : awards) {
            if (inserted.contains(a.awardId())) {
                Input in = sourceOf.get(a);
                tx.emit(in.source(), () -> new ProducerRecord<>(topics.achievements().name(),
                        Keys.user(a.tenant(), a.userId()), achievementBytes(achievement(a))));
            }
        }
        Set<String> newlyUnlocked = FeatureUnlocks.insert(c, s, unlocks);
        for (FeatureRules.Unlocked u : unlocks) {
            if (newlyUnlocked.contains(u.id())) {
                tx.emit(unlockSource.get(u.id()).source(), () -> new ProducerRecord<>(topics.achievements().name(),
                        Keys.user(u.tenant(), u.userId()), achievementBytes(new io.laurel.events.Achievement.FeatureUnlocked(
                        u.id(), u.tenant(), u.userId(), u.featureId(), u.featureName(), u.at(), u.source()))));
            }
        }
    }

    /** What one input did for its user, as the feature rules read it. */
    private static FeatureRules.Facts facts(Input in, List<Award> awards, List<BadgeEngine.LevelUp> levelUps,
                                            List<ChallengeOutcome> outcomes, BatchBadgeState state) {
        Instant at = in.event() != null ? in.event().occurredAt() : in.entry().occurredAt();
        String source = in.event() != null ? in.event().eventId() : in.entry().entryId();
        Map<String, Long> earned = new HashMap<>();
        if (in.entry() != null) {
            String currency = in.entry().currency();
            earned.put(currency, state.progress(in.tenant(), in.userId(), pointsKey(currency)).value());
        }
        List<FeatureRules.Awarded> awarded = new ArrayList<>();
        for (Award a : awards) {
            if (a.userId().equals(in.userId())) {
                awarded.add(new FeatureRules.Awarded(a.badgeId(), a.awardedAt()));
            }
        }
        List<FeatureRules.LevelReached> levels = new ArrayList<>();
        for (BadgeEngine.LevelUp up : levelUps) {
            levels.add(new FeatureRules.LevelReached(up.levelSet(), up.number(), up.reachedAt()));
        }
        List<FeatureRules.Completed> completed = new ArrayList<>();
        for (ChallengeOutcome o : outcomes) {
            if (o.completed() && o.userId().equals(in.userId())) {
                completed.add(new FeatureRules.Completed(o.challengeId(), o.at()));
            }
        }
        String granted = in.event() != null && SystemTypes.FEATURE_GRANTED.equals(in.event().eventType())
                && in.event().eventData() != null && in.event().eventData().path("feature_id").isTextual()
                ? in.event().eventData().path("feature_id").asText() : null;
        return new FeatureRules.Facts(in.tenant(), in.userId(), at, source, earned, awarded, levels, completed, granted);
    }

    /** An achievement as laurel.achievements carries it. */
    private byte[] achievementBytes(io.laurel.events.Achievement achievement) {
        return topics.achievements().valueSerde().serialize(topics.achievements().name(), achievement);
    }

    /** The progress key of the points a user earned in a currency (what the user summary shows). */
    public static String pointsKey(String currency) {
        return "points:" + currency;
    }

    /** Keeps each user's earned points per currency (redemptions do not lower them; revocations do). */
    private static void earnedPoints(PointsEntry e, BatchBadgeState state) {
        if (e.kind() == io.laurel.events.PointsEntryKind.REDEEMED || e.points() == 0) {
            return;
        }
        var p = state.progress(e.tenant(), e.userId(), pointsKey(e.currency()));
        state.save(e.tenant(), e.userId(), pointsKey(e.currency()), p.withValue(p.value() + e.points()));
    }

    /** A grant names its badge in {@code event_data.badge_id}; an unknown or retired badge earns nothing. */
    private List<Award> grant(EventAccepted e, ZoneId zone, BatchBadgeState state) {
        JsonNode id = e.eventData() == null ? null : e.eventData().get("badge_id");
        if (id == null || !id.isTextual()) {
            return List.of();
        }
        return catalog.badge(e.tenant(), id.asText()).filter(BadgeDefinition::active)
                .map(b -> engine.grant(e.tenant(), e.userId(), b, e.occurredAt(), e.eventId(), zone, state))
                .orElse(List.of());
    }

    /** The reward badge of a completed challenge, granted with the completion as its source. */
    private List<Award> rewardBadge(ChallengeOutcome o, ZoneId zone, BatchBadgeState state) {
        return catalog.challenge(o.tenant(), o.challengeId()).map(ChallengeDefinition::rewardBadgeId)
                .flatMap(id -> catalog.badge(o.tenant(), id)).filter(BadgeDefinition::active)
                .map(b -> engine.grant(o.tenant(), o.userId(), b, o.at(), o.id(), zone, state))
                .orElse(List.of());
    }

    /**
     * The event of the system type {@code challenge.completed} for a completion (its id is the completion's): it
     * carries the reward in points, which scoring turns into a journal entry, and replays with every other event.
     */
    EventAccepted completionEvent(ChallengeOutcome o) {
        ChallengeDefinition c = catalog.challenge(o.tenant(), o.challengeId()).orElse(null);
        ObjectNode data = LaurelJson.mapper().createObjectNode();
        data.put("challenge_id", o.challengeId());
        data.put("challenge_name", c == null ? o.challengeId() : c.name());
        data.put("challenge_version", o.challengeVersion());
        data.put("attempt", o.attempt());
        if (c != null && c.rewardPoints() != null) {
            data.put("points", c.rewardPoints());
            data.put("currency", c.rewardCurrency());
        }
        return systemEvents.event(o.id(), o.tenant(), SystemTypes.CHALLENGE_COMPLETED, o.userId(), data, o.at(), null);
    }

    /** The achievement published to {@code laurel.achievements} for a step passed or a challenge completed. */
    io.laurel.events.Achievement challengeAchievement(ChallengeOutcome o) {
        String name = catalog.challenge(o.tenant(), o.challengeId()).map(ChallengeDefinition::name).orElse(o.challengeId());
        return o.completed()
                ? new io.laurel.events.Achievement.ChallengeCompleted(o.id(), o.tenant(), o.userId(), o.challengeId(), name,
                        o.challengeVersion(), o.stepId(), o.stepsPassed(), o.stepsTotal(), o.attempt(), o.at(), o.source())
                : new io.laurel.events.Achievement.ChallengeProgressed(o.id(), o.tenant(), o.userId(), o.challengeId(), name,
                        o.challengeVersion(), o.stepId(), o.stepsPassed(), o.stepsTotal(), o.attempt(), o.at(), o.source());
    }

    /** The achievement published to {@code laurel.achievements} for a level reached. */
    static io.laurel.events.Achievement levelReached(BadgeEngine.LevelUp up) {
        return new io.laurel.events.Achievement.LevelReached(up.id(), up.tenant(), up.userId(), up.levelSet(), up.number(),
                up.name(), up.threshold(), up.reachedAt(), up.source());
    }

    /** The achievement published to {@code laurel.achievements} for an award. */
    io.laurel.events.Achievement achievement(Award a) {
        return new io.laurel.events.Achievement.BadgeAwarded(a.awardId(), a.tenant(), a.userId(), a.badgeId(),
                catalog.badge(a.tenant(), a.badgeId()).map(BadgeDefinition::name).orElse(a.badgeId()), a.badgeVersion(),
                a.nth(), a.awardedAt(), a.expiresAt(), a.source(), a.reason());
    }

    private static Set<String> markProcessed(Connection c, String s, Set<String> ids) throws SQLException {
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".processed (source_id)"
                + " SELECT unnest(?::text[]) ON CONFLICT (source_id) DO NOTHING RETURNING source_id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    private static Set<String> insertAwards(Connection c, String s, List<Award> awards, Map<Award, Input> sourceOf)
            throws SQLException {
        Set<String> inserted = new HashSet<>();
        if (awards.isEmpty()) {
            return inserted;
        }
        int n = awards.size();
        String[] ids = new String[n], tenants = new String[n], users = new String[n], badges = new String[n];
        String[] sources = new String[n], reasons = new String[n], data = new String[n];
        Integer[] versions = new Integer[n], nths = new Integer[n];
        Timestamp[] awarded = new Timestamp[n], expires = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Award a = awards.get(i);
            ids[i] = a.awardId();
            tenants[i] = a.tenant();
            users[i] = a.userId();
            badges[i] = a.badgeId();
            versions[i] = a.badgeVersion();
            nths[i] = a.nth();
            awarded[i] = Timestamp.from(a.awardedAt());
            expires[i] = a.expiresAt() == null ? null : Timestamp.from(a.expiresAt());
            sources[i] = a.source();
            reasons[i] = a.reason();
            Input in = sourceOf.get(a);
            data[i] = in == null || in.event() == null || in.event().eventData() == null ? null
                    : in.event().eventData().toString();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".awards (award_id, tenant, user_id, badge_id,"
                + " badge_version, nth, awarded_at, expires_at, source, reason, event_data) SELECT * FROM unnest(?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::timestamptz[], ?::timestamptz[], ?::text[],"
                + " ?::text[], ?::jsonb[])"
                + " ON CONFLICT (award_id) DO NOTHING RETURNING award_id")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", tenants));
            ps.setArray(3, c.createArrayOf("text", users));
            ps.setArray(4, c.createArrayOf("text", badges));
            ps.setArray(5, c.createArrayOf("int4", versions));
            ps.setArray(6, c.createArrayOf("int4", nths));
            ps.setArray(7, c.createArrayOf("timestamptz", awarded));
            ps.setArray(8, c.createArrayOf("timestamptz", expires));
            ps.setArray(9, c.createArrayOf("text", sources));
            ps.setArray(10, c.createArrayOf("text", reasons));
            ps.setArray(11, c.createArrayOf("text", data));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }
}
