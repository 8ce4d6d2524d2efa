package io.laurel.runtime.projection;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The projection manager's view of the broker beside its consumers, through one lazily created {@link Admin}:
 * the end offsets of a projection's topics (for its lag while it holds no partition), and the removal of a group
 * member a crashed predecessor of this instance left behind.
 */
final class BrokerView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerView.class);
    private static final long TIMEOUT_MS = 3_000;

    private final String bootstrap;
    private final Map<String, List<TopicPartition>> partitions = new ConcurrentHashMap<>();
    private Admin admin;

    BrokerView(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS));
        }
        return admin;
    }

    /** The end offsets (of committed records) of every partition of {@code topics}. */
    Map<TopicPartition, Long> latest(Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String topic : topics) {
            for (TopicPartition tp : partitions(topic)) {
                request.put(tp, OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin().listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The partitions of {@code topic}, asked once. */
    List<TopicPartition> partitions(String topic) throws Exception {
        List<TopicPartition> known = partitions.get(topic);
        if (known != null) {
            return known;
        }
        TopicDescription d = admin().describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .get(topic);
        List<TopicPartition> list = d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        partitions.put(topic, list);
        return list;
    }

    /**
     * Removes the static member {@code instanceId} from {@code groupId} if it is there: only a predecessor of this
     * very instance can hold that id, and one that is still a member died without leaving. Nothing to remove
     * (no such group, no such member) is the normal case; a failure only costs the wait for the session timeout.
     */
    void releaseMember(String groupId, String instanceId) {
        try {
            admin().removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(
                    List.of(new MemberToRemove(instanceId)))).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            log.info("removed member {} that a previous run left in group {}", instanceId, groupId);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException || e.getCause() instanceof UnknownMemberIdException
                    || e.getCause() instanceof IllegalArgumentException)) {
                log.warn("could not remove a member {} left in group {}: {}", instanceId, groupId, e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not remove a member {} left in group {}: {}", instanceId, groupId, e.toString());
        }
    }

    /** Whether any consumer is a member of {@code groupId} (a group that does not exist has none). */
    boolean hasMembers(String groupId) throws Exception {
        try {
            return !admin().describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).members().isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }
}
