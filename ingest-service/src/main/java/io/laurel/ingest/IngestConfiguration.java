package io.laurel.ingest;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.PropertySource;

/** Everything of the ingest service, for its own application or for the standalone. */
@Configuration
@PropertySource("classpath:laurel-axon.properties")
@ComponentScan(basePackages = "io.laurel.ingest",
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.laurel\\.ingest\\.app\\..*"))
public class IngestConfiguration {
}
