package io.laurel.runtime.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;


/** {@code GET /v1/me}: who the key is (its tenant and scopes), for a console that adapts to what the key may do. */
@RestController
public class MeController {
    @GetMapping("/v1/me")
    public io.laurel.api.Me me(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return new io.laurel.api.Me(caller.tenant(), caller.keyId(), caller.scopes().stream().sorted().toList(),
                caller.manageTenants());
    }

}
