package io.laurel.ingest.app;

import io.laurel.ingest.IngestConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The ingest service on its own: HTTP ingest and the catalog. */
@SpringBootApplication
@Import(IngestConfiguration.class)
public class IngestServiceApplication {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(IngestServiceApplication.class);
        // the "application" tag of its metrics, unless configured otherwise
        app.setDefaultProperties(java.util.Map.of("spring.application.name", "laurel-ingest"));
        app.run(args);
    }
}
