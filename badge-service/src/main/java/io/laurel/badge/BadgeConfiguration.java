package io.laurel.badge;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * Everything of the badge service, for its own application or for the standalone. Badges, levels and
 * challenges arrive with their own issue; until then the service runs the shared runtime (catalog,
 * authentication, operations endpoints) and has no projection of its own.
 */
@Configuration
@ComponentScan(basePackages = "io.laurel.badge",
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.laurel\\.badge\\.app\\..*"))
public class BadgeConfiguration {
}
