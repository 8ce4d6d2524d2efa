package io.laurel.scoring;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.PropertySource;

/** Everything of the scoring service, for its own application or for the standalone. */
@Configuration
@PropertySource("classpath:laurel-axon.properties")
@ComponentScan(basePackages = "io.laurel.scoring",
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.laurel\\.scoring\\.app\\..*"))
public class ScoringConfiguration {
}
