package io.laurel.scoring.app;

import io.laurel.scoring.ScoringConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The scoring service on its own: rules engine, points journal, balances. */
@SpringBootApplication
@Import(ScoringConfiguration.class)
public class ScoringServiceApplication {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ScoringServiceApplication.class);
        // the "application" tag of its metrics, unless configured otherwise
        app.setDefaultProperties(java.util.Map.of("spring.application.name", "laurel-scoring"));
        app.run(args);
    }
}
