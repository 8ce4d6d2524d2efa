package io.laurel.badge.webhook;

import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.PoisonRecordException;
import io.laurel.runtime.projection.Projection;
import io.laurel.runtime.projection.ProjectionTx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Queues webhook deliveries for the achievements on {@code laurel.achievements}, in the same transaction as
 * the consumer's offsets (so none is lost or queued twice). Nothing is queued for replayed records: a rebuild
 * of this projection sends nothing.
 */
@Component
public class WebhookProjection implements Projection {
    public static final String NAME = "webhooks";

    private final TopicRegistry topics;

    public WebhookProjection(TopicRegistry topics) {
        this.topics = topics;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> topics() {
        return List.of(topics.achievements().name());
    }

    @Override
    public List<String> tables() {
        return List.of();
    }

    @Override
    public void createTables(Connection c, String s) {
        // the deliveries live in Webhooks' own schema, outside the generations
    }

    @Override
    public void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws SQLException {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (tx.isReplay(r)) {
                continue;
            }
            io.laurel.events.Achievement a = PoisonRecordException.decode(topics.achievements().valueSerde(), r,
                    io.laurel.events.Achievement::complete, "an achievement");
            // the body delivered is the achievement as published
            Webhooks.enqueue(tx.connection(), LaurelJson.mapper().valueToTree(a), new String(r.value(), StandardCharsets.UTF_8));
        }
    }
}
