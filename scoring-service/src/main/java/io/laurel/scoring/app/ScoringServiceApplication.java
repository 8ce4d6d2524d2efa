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
        SpringApplication.run(ScoringServiceApplication.class, args);
    }
}
