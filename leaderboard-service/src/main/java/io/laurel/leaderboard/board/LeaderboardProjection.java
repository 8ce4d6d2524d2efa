package io.laurel.leaderboard.board;

import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.PoisonRecordException;
import io.laurel.runtime.projection.Projection;
import io.laurel.runtime.projection.ProjectionTx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the points journal into leaderboard scores. Every entry is applied once: entry ids already
 * seen (a journal entry published twice) are recognised and skipped. Redemptions do not lower a
 * leaderboard score: ranks measure what was earned.
 */
@Component
public class LeaderboardProjection implements Projection {
    public static final String NAME = "leaderboards";

    private final TopicRegistry topics;
    private final CatalogView catalog;

    public LeaderboardProjection(TopicRegistry topics, CatalogView catalog) {
        this.topics = topics;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> topics() {
        return List.of(topics.points().name());
    }

    @Override
    public List<String> tables() {
        return List.of("applied_entries", "scores");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".applied_entries (entry_id text PRIMARY KEY)");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".scores (tenant text NOT NULL, board text NOT NULL,"
                    + " user_id text NOT NULL, score bigint NOT NULL, PRIMARY KEY (tenant, board, user_id))");
            st.execute("CREATE INDEX IF NOT EXISTS scores_ranked ON " + s + ".scores (tenant, board, score DESC, user_id)");
        }
    }

    @Override
    public void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws Exception {
        Map<String, PointsEntry> entries = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            PointsEntry e = read(r);
            entries.putIfAbsent(e.entryId(), e);
        }
        Set<String> fresh = markApplied(tx.connection(), tx.schema(), entries.keySet());
        Map<List<String>, Long> deltas = new LinkedHashMap<>();
        Map<String, List<LeaderboardDefinition>> boardsOfTenant = new java.util.HashMap<>();
        for (PointsEntry e : entries.values()) {
            if (!fresh.contains(e.entryId()) || e.kind() == PointsEntryKind.REDEEMED) {
                continue;
            }
            for (LeaderboardDefinition board : boardsOfTenant.computeIfAbsent(e.tenant(), catalog::leaderboards)) {
                if (board.currency().equals(e.currency()) && "all_time".equals(board.period())
                        && "user".equals(board.groupBy())) {
                    deltas.merge(List.of(e.tenant(), board.id(), e.userId()), e.points(), Long::sum);
                }
            }
        }
        upsertScores(tx.connection(), tx.schema(), deltas);
    }

    private PointsEntry read(ConsumerRecord<String, byte[]> r) {
        return PoisonRecordException.decode(topics.points().valueSerde(), r, e -> e.entryId() != null
                && e.tenant() != null && e.userId() != null && e.currency() != null && e.kind() != null,
                "a points entry");
    }

    private static Set<String> markApplied(Connection c, String s, Set<String> ids) throws SQLException {
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".applied_entries (entry_id)"
                + " SELECT unnest(?::text[]) ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    private static void upsertScores(Connection c, String s, Map<List<String>, Long> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        int n = deltas.size();
        String[] tenants = new String[n], boards = new String[n], users = new String[n];
        Long[] points = new Long[n];
        int i = 0;
        for (var e : deltas.entrySet()) {
            tenants[i] = e.getKey().get(0);
            boards[i] = e.getKey().get(1);
            users[i] = e.getKey().get(2);
            points[i] = e.getValue();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".scores (tenant, board, user_id, score)"
                + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[])"
                + " ON CONFLICT (tenant, board, user_id) DO UPDATE SET score = scores.score + EXCLUDED.score")) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", boards));
            ps.setArray(3, c.createArrayOf("text", users));
            ps.setArray(4, c.createArrayOf("int8", points));
            ps.executeUpdate();
        }
    }
}
