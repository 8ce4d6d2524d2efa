package io.laurel.leaderboard;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/** Everything of the leaderboard service, for its own application or for the standalone. */
@Configuration
@ComponentScan(basePackages = "io.laurel.leaderboard",
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.laurel\\.leaderboard\\.app\\..*"))
public class LeaderboardConfiguration {
}
