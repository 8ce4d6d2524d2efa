package io.laurel.runtime.projection;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The projection status every instance of every service reports to PostgreSQL ({@code laurel_runtime.projection_reports},
 * one row per instance and projection; the table is created by {@link ProjectionStore#initialize}), so that any instance answers {@code GET /v1/ops/projections} for the whole
 * platform: the projections of the other services, and the partitions its siblings hold.
 */
final class StatusReports {
    /** How often an instance reports; a report older than {@link #FRESH} is of an instance gone. */
    static final Duration EVERY = Duration.ofSeconds(2);
    static final Duration FRESH = Duration.ofSeconds(5);
    private static final List<String> WORST_FIRST = List.of("failed", "outage", "catching_up", "running", "assigning",
            "stopped");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<ProjectionStatus> STATUS = new TypeReference<>() {
    };

    private final DataSource dataSource;

    StatusReports(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes this instance's status; forgets reports of instances gone for an hour. */
    void report(String owner, List<ProjectionStatus> statuses) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + ProjectionStore.SCHEMA
                    + ".projection_reports(owner, name, service, report, reported_at) VALUES (?, ?, ?, ?::jsonb, now())"
                    + " ON CONFLICT (owner, name) DO UPDATE SET service = EXCLUDED.service, report = EXCLUDED.report,"
                    + " reported_at = now()")) {
                for (ProjectionStatus s : statuses) {
                    ps.setString(1, owner);
                    ps.setString(2, s.name());
                    ps.setString(3, s.service() == null ? "" : s.service());
                    ps.setString(4, JSON.writeValueAsString(s));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM " + ProjectionStore.SCHEMA + ".projection_reports"
                        + " WHERE reported_at < now() - interval '1 hour'");
            }
        }
    }

    /**
     * The fresh reports of every instance but {@code owner}; for a projection no instance has reported lately (its
     * service is down), its last report (within the hour) as {@code stopped}, holding nothing.
     */
    List<ProjectionStatus> others(String owner) throws Exception {
        List<ProjectionStatus> fresh = new ArrayList<>();
        Map<String, ProjectionStatus> stale = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT report::text, reported_at > now() - make_interval(secs => ?)"
                     + " FROM " + ProjectionStore.SCHEMA + ".projection_reports WHERE owner <> ?"
                     + " ORDER BY reported_at DESC")) {
            ps.setDouble(1, FRESH.toSeconds());
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ProjectionStatus s = JSON.readValue(rs.getString(1), STATUS);
                    if (rs.getBoolean(2)) {
                        fresh.add(s);
                    } else {
                        stale.putIfAbsent(s.name(), s);
                    }
                }
            }
        }
        List<ProjectionStatus> list = new ArrayList<>(fresh);
        for (ProjectionStatus s : stale.values()) {
            if (fresh.stream().noneMatch(f -> f.name().equals(s.name()))) {
                list.add(new ProjectionStatus(s.name(), s.service(), s.generation(), s.lag(), "stopped", List.of(),
                        s.recordsProcessed(), s.deadLettered(), null));
            }
        }
        return list;
    }

    /**
     * One status per projection of the platform, from this instance's own (first, most current) and the other
     * instances' reports (freshest first). Per projection: the partitions held by any instance (each once); the
     * records and dead letters of all instances; the lag of the partitions held (or, larger, an idle instance's lag
     * from the stored offsets); the generation and rebuild of the first report (this instance's, if it runs that
     * projection); the status the worst any instance reports, except that an instance
     * holding no partitions ({@code assigning}) counts only when none holds any.
     */
    static List<ProjectionStatus> merge(List<ProjectionStatus> local, List<ProjectionStatus> others) {
        Map<String, List<ProjectionStatus>> byName = new LinkedHashMap<>();
        for (ProjectionStatus s : local) {
            byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        }
        List<ProjectionStatus> rest = new ArrayList<>(others);
        rest.sort(Comparator.comparing((ProjectionStatus s) -> s.service() == null ? "" : s.service())
                .thenComparing(ProjectionStatus::name));
        for (ProjectionStatus s : others) {
            byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        }
        // projections of other services only: in the order of service and name
        Map<String, List<ProjectionStatus>> ordered = new LinkedHashMap<>();
        for (ProjectionStatus s : local) {
            ordered.putIfAbsent(s.name(), byName.get(s.name()));
        }
        for (ProjectionStatus s : rest) {
            ordered.putIfAbsent(s.name(), byName.get(s.name()));
        }
        List<ProjectionStatus> merged = new ArrayList<>();
        for (List<ProjectionStatus> reports : ordered.values()) {
            merged.add(mergeOne(reports));
        }
        return merged;
    }

    private static ProjectionStatus mergeOne(List<ProjectionStatus> reports) {
        ProjectionStatus first = reports.get(0);
        Map<String, ProjectionStatus.PartitionStatus> partitions = new LinkedHashMap<>();
        long records = 0;
        long dead = 0;
        String status = null;
        RebuildView rebuild = null;
        for (ProjectionStatus s : reports) {
            for (ProjectionStatus.PartitionStatus p : s.partitions()) {
                partitions.putIfAbsent(p.topic() + "/" + p.partition(), p);
            }
            records += s.recordsProcessed();
            dead += s.deadLettered();
            if (rebuild == null) {
                rebuild = s.rebuild();
            }
        }
        boolean anyHolds = !partitions.isEmpty();
        for (String candidate : WORST_FIRST) {
            boolean reported = reports.stream().anyMatch(s -> s.status().equals(candidate));
            if (reported && !(candidate.equals("assigning") && anyHolds)) {
                status = candidate;
                break;
            }
        }
        if (status == null) {
            status = first.status();
        }
        List<ProjectionStatus.PartitionStatus> list = new ArrayList<>(partitions.values());
        list.sort(Comparator.comparing(ProjectionStatus.PartitionStatus::topic)
                .thenComparingInt(ProjectionStatus.PartitionStatus::partition));
        // the lag of every partition held, or (an instance holding none measures all of them from its stored offsets)
        // that instance's figure, whichever is larger: never 0 while records wait
        long lag = list.stream().mapToLong(ProjectionStatus.PartitionStatus::lag).sum();
        for (ProjectionStatus s : reports) {
            if (s.partitions().isEmpty()) {
                lag = Math.max(lag, s.lag());
            }
        }
        return new ProjectionStatus(first.name(), first.service(), first.generation(), lag, status, list, records, dead,
                rebuild);
    }
}
