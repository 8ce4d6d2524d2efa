package io.laurel.badge;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * Everything of the badge service, for its own application or for the standalone: the badge projection
 * (events and the points journal into awards, published to {@code laurel.achievements}), a user's badges and
 * grants.
 */
@Configuration
@ComponentScan(basePackages = "io.laurel.badge",
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.laurel\\.badge\\.app\\..*"))
public class BadgeConfiguration {
}
