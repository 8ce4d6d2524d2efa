package io.laurel.badge.webhook;

import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.ProjectionTx;
import io.laurel.events.Achievement;
import io.laurel.runtime.projection.DecodedProjection;
import io.laurel.runtime.projection.Decoder;
import io.laurel.runtime.projection.Delivered;
import java.util.Map;
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
public class WebhookProjection implements DecodedProjection<Achievement> {
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
    public Map<String, Decoder<? extends Achievement>> decoders() {
        return Map.of(topics.achievements().name(), Decoder.of(topics.achievements(), Achievement::complete,
                "an achievement"));
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
    public void applyDecoded(List<Delivered<Achievement>> records, ProjectionTx tx) throws SQLException {
        for (Delivered<Achievement> r : records) {
            if (tx.isReplay(r.source())) {
                continue;
            }
            // the body delivered is the achievement as published
            Webhooks.enqueue(tx.connection(), LaurelJson.mapper().valueToTree(r.value()),
                    new String(r.source().value(), StandardCharsets.UTF_8));
        }
    }
}
