package io.laurel.standalone;

import io.laurel.badge.BadgeConfiguration;
import io.laurel.ingest.IngestConfiguration;
import io.laurel.leaderboard.LeaderboardConfiguration;
import io.laurel.scoring.ScoringConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The four services composed in one application on one port. */
@SpringBootApplication
@Import({IngestConfiguration.class, ScoringConfiguration.class, BadgeConfiguration.class, LeaderboardConfiguration.class})
public class StandaloneApplication {
}
