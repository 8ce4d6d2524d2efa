package io.laurel.ingest.inbound;

import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** {@code GET /v1/ops/inbound}: what Kafka ingest forwarded, rejected and recognised as duplicate. */
@RestController
public class InboundController {
    private final InboundGateway gateway;

    public InboundController(InboundGateway gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/v1/ops/inbound")
    public InboundGateway.Status status(ServerWebExchange exchange) {
        Caller.of(exchange).require(Scope.OPS);
        return gateway.status();
    }
}
