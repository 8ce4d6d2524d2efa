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
        SpringApplication app = new SpringApplication(LeaderboardServiceApplication.class);
        // the "application" tag of its metrics, unless configured otherwise
        app.setDefaultProperties(java.util.Map.of("spring.application.name", "laurel-leaderboard"));
        app.run(args);
    }
}
