package io.laurel.scoring.redemption;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.SystemTypes;
import io.laurel.scoring.redemption.WalletMessages.HoldConfirmed;
import io.laurel.scoring.redemption.WalletMessages.RedemptionCompleted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Forwards completed redemptions to {@code laurel.events} as events of the system type
 * {@code points.redeemed} (event id = redemption id), so they reach the points journal as redeemed
 * entries and replay with everything else. A tracking processor with its token in PostgreSQL: at least
 * once, in order; a repeat carries the same event id, which the journal counts once.
 */
@Component
@ProcessingGroup(WalletAxonConfiguration.FORWARDER)
public class WalletForwarder {
    private final io.laurel.runtime.events.SystemEvents systemEvents;

    public WalletForwarder(io.laurel.runtime.events.SystemEvents systemEvents) {
        this.systemEvents = systemEvents;
    }

    @EventHandler
    void on(RedemptionCompleted e) throws Exception {
        forward(e.tenant(), e.userId(), e.currency(), e.redemptionId(), e.points(), e.description(), e.at());
    }

    @EventHandler
    void on(HoldConfirmed e) throws Exception {
        forward(e.tenant(), e.userId(), e.currency(), e.redemptionId(), e.points(), e.description(), e.at());
    }

    private void forward(String tenant, String userId, String currency, String redemptionId, long points,
                         String description, Instant at) throws Exception {
        ObjectNode data = JsonNodeFactory.instance.objectNode()
                .put("redemption_id", redemptionId)
                .put("points", points)
                .put("currency", currency);
        if (description != null) {
            data.put("description", description);
        }
        EventAccepted event = systemEvents.event(redemptionId, tenant, SystemTypes.POINTS_REDEEMED, userId, data, at, at,
                null);
        systemEvents.appendOrThrow(event, java.time.Duration.ofSeconds(30));
    }
}
