package io.laurel.badge.app;

import io.laurel.badge.BadgeConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The badge service on its own. */
@SpringBootApplication
@Import(BadgeConfiguration.class)
public class BadgeServiceApplication {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BadgeServiceApplication.class);
        // the "application" tag of its metrics, unless configured otherwise
        app.setDefaultProperties(java.util.Map.of("spring.application.name", "laurel-badge"));
        app.run(args);
    }
}
