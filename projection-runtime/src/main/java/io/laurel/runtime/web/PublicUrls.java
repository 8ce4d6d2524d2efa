package io.laurel.runtime.web;

import org.springframework.web.server.ServerWebExchange;

/**
 * The public origin of a request, for the absolute links the API hands out (certificates, Open Badges documents):
 * {@code LAUREL_PUBLIC_URL} ({@code laurel.public-url}) when set, else what the request says, honouring
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} from a gateway.
 */
public final class PublicUrls {
    private static volatile String configured;

    private PublicUrls() {
    }

    /** Sets the configured origin ({@code https://laurel.example.com}); blank: derive it from each request. */
    public static void configure(String origin) {
        configured = origin == null || origin.isBlank() ? null : origin.replaceAll("/+$", "");
    }

    public static String base(ServerWebExchange exchange) {
        String fixed = configured;
        if (fixed != null) {
            return fixed;
        }
        var headers = exchange.getRequest().getHeaders();
        var uri = exchange.getRequest().getURI();
        String proto = headers.getFirst("X-Forwarded-Proto");
        String host = headers.getFirst("X-Forwarded-Host");
        if (host == null) {
            host = headers.getFirst("Host");
        }
        if (host == null) {
            host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return (proto == null ? uri.getScheme() : proto) + "://" + host;
    }
}
