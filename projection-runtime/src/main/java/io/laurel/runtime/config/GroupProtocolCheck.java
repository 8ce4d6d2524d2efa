package io.laurel.runtime.config;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Checks at start that the broker serves the consumer group protocol Laurel is configured for, so a broker
 * that cannot (Kafka before 4.0, or a cluster upgraded from 3.x whose group.version was never raised) stops
 * the service with what to do, instead of leaving every projection failed on its first poll.
 */
public final class GroupProtocolCheck {
    public static final String GROUP_VERSION = "group.version";

    private GroupProtocolCheck() {
    }

    /** Returns null when the broker is fine for {@code protocol}, else the message to fail with. */
    public static String problem(Admin admin, String bootstrapServers, String protocol) throws InterruptedException {
        if (!"consumer".equals(protocol)) {
            return null;
        }
        FeatureMetadata features;
        try {
            features = admin.describeFeatures().featureMetadata().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                return message(bootstrapServers, "it does not describe its features (a Kafka older than 2.7)");
            }
            throw new IllegalStateException("cannot read the features of Kafka at " + bootstrapServers, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not describe its features in 60 s", e);
        }
        short group = finalizedLevel(features, GROUP_VERSION);
        if (group < 1) {
            return message(bootstrapServers, "its group.version feature is " + (group == 0 ? "not set" : "at level "
                    + group) + " (Kafka before 4.0, or a cluster upgraded from 3.x)");
        }
        return null;
    }

    /** The finalized level of a broker feature; 0 when it is not finalized (not set). */
    public static short finalizedLevel(FeatureMetadata features, String name) {
        FinalizedVersionRange range = features.finalizedFeatures().get(name);
        return range == null ? 0 : range.maxVersionLevel();
    }

    static String message(String bootstrapServers, String why) {
        return "Kafka at " + bootstrapServers + " does not serve the consumer group protocol (KIP-848) that "
                + "Laurel's consumers use: " + why + ". Either raise the cluster's features once with "
                + "'kafka-features.sh --bootstrap-server " + bootstrapServers + " upgrade --release-version <the "
                + "broker's version, e.g. 4.2>' (Kafka 4.0 or later; one-way), or set LAUREL_KAFKA_GROUP_PROTOCOL=classic.";
    }
}
