package io.laurel.ingest.inbound;

import io.laurel.runtime.web.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** {@code GET /v1/ops/inbound} (platform key): what Kafka ingest forwarded, rejected and recognised as duplicate. */
@RestController
public class InboundController {
    private final InboundGateway gateway;

    public InboundController(InboundGateway gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/v1/ops/inbound")
    public InboundGateway.Status status(ServerWebExchange exchange) {
        Caller.of(exchange).requirePlatform();
        return gateway.status();
    }
}
