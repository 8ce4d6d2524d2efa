package io.laurel.leaderboard.app;

import io.laurel.leaderboard.LeaderboardConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The leaderboard service on its own. */
@SpringBootApplication
@Import(LeaderboardConfiguration.class)
public class LeaderboardServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(LeaderboardServiceApplication.class, args);
    }
}
