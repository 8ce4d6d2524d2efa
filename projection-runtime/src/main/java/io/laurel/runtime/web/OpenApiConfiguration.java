package io.laurel.runtime.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}: every endpoint of the service, bearer API keys. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /**
     * The schemas are read with the service's own ObjectMapper, so their property names are the wire's (snake_case),
     * not the records' component names (springdoc's documented way to follow a naming strategy).
     */
    @Bean
    public io.swagger.v3.core.jackson.ModelResolver laurelModelResolver(
            com.fasterxml.jackson.databind.ObjectMapper objectMapper) {
        return new io.swagger.v3.core.jackson.ModelResolver(objectMapper);
    }

    @Bean
    public OpenAPI laurelOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Laurel API").version("v1")
                        .description("Event-sourced gamification: events, points, leaderboards. Errors are "
                                + "application/problem+json with a machine-readable code; see docs/api.md.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A tenant's API key: Authorization: Bearer <key>")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
