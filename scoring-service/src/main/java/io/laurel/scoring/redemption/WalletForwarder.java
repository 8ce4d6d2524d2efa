package io.laurel.scoring.redemption;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.scoring.redemption.WalletMessages.HoldConfirmed;
import io.laurel.scoring.redemption.WalletMessages.RedemptionCompleted;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forwards completed redemptions to {@code laurel.events} as events of the system type
 * {@code points.redeemed} (event id = redemption id), so they reach the points journal as redeemed
 * entries and replay with everything else. A tracking processor with its token in PostgreSQL: at least
 * once, in order; a repeat carries the same event id, which the journal counts once.
 */
@Component
@ProcessingGroup(WalletAxonConfiguration.FORWARDER)
public class WalletForwarder {
    private final Producer<String, byte[]> producer;
    private final TopicRegistry topics;
    private final CatalogView catalog;

    public WalletForwarder(Producer<String, byte[]> producer, TopicRegistry topics, CatalogView catalog) {
        this.producer = producer;
        this.topics = topics;
        this.catalog = catalog;
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
        int version = catalog.eventType(tenant, SystemTypes.POINTS_REDEEMED).map(EventTypeDefinition::version).orElse(1);
        EventAccepted event = new EventAccepted(redemptionId, tenant, SystemTypes.POINTS_REDEEMED, version, userId, data,
                EventAction.CREATE, null, at, at, List.of(), catalog.position());
        String topic = topics.events().name();
        producer.send(new ProducerRecord<>(topic, event.key(), topics.events().valueSerde().serialize(topic, event)))
                .get(30, TimeUnit.SECONDS);
    }
}
