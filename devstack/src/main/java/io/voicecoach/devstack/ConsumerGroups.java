package io.voicecoach.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The suite's consumer groups as the broker sees them: who is a member, from which instance (by client id prefix),
 * holding which partitions. Backs {@link Suite#awaitConsumerGroups}, the fault suite's "who owns this session's
 * partition" and the diagnostics it prints.
 */
public final class ConsumerGroups {

    /** A member of a group; {@code instance} is empty for clients that are not one of the suite's instances. */
    public record Member(String clientId, Optional<Instance> instance, List<TopicPartition> partitions) {
    }

    public record Group(String groupId, Service service, GroupState state, List<Member> members) {

        /** Members that belong to one of {@code live}. */
        public boolean hasMemberOf(Collection<Instance> live) {
            return members.stream().anyMatch(m -> m.instance().filter(live::contains).isPresent());
        }
    }

    private ConsumerGroups() {
    }

    /**
     * Every group whose id starts with a service's module name (its main group and per-instance ones), with its
     * members mapped to {@code instances}.
     *
     * @throws IllegalStateException if the broker does not answer within 10 s
     */
    public static List<Group> describe(String bootstrap, List<Instance> instances) {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            var ids = admin.listGroups().all().get(10, TimeUnit.SECONDS).stream().map(GroupListing::groupId)
                    .filter(id -> serviceOf(id).isPresent()).sorted().toList();
            var groups = new ArrayList<Group>();
            for (var description : admin.describeConsumerGroups(ids).all().get(10, TimeUnit.SECONDS).values()) {
                var members = description.members().stream().map(m -> new Member(m.clientId(),
                                instances.stream().filter(i -> i.ownsClientId(m.clientId())).findFirst(),
                                m.assignment().topicPartitions().stream()
                                        .sorted(Comparator.comparing(TopicPartition::topic)
                                                .thenComparing(TopicPartition::partition)).toList()))
                        .sorted(Comparator.comparing(Member::clientId)).toList();
                groups.add(new Group(description.groupId(), serviceOf(description.groupId()).orElseThrow(),
                        description.groupState(), members));
            }
            groups.sort(Comparator.comparing(Group::groupId));
            return groups;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the consumer groups on " + bootstrap + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The instance whose member of {@code groupId} holds {@code topic}-{@code partition}; empty while nobody holds
     * it (a rebalance in progress) or the holder is not an instance of the suite.
     */
    public static Optional<Instance> owner(List<Group> groups, String groupId, String topic, int partition) {
        var wanted = new TopicPartition(topic, partition);
        return groups.stream().filter(g -> g.groupId().equals(groupId) && g.state() == GroupState.STABLE)
                .flatMap(g -> g.members().stream())
                .filter(m -> m.partitions().contains(wanted))
                .flatMap(m -> m.instance().stream())
                .findFirst();
    }

    /** One line per group and member: state, instance, partitions per topic. */
    public static String table(List<Group> groups) {
        var out = new StringBuilder();
        for (var group : groups) {
            out.append(String.format("  %-44s %s%n", group.groupId(), group.state()));
            for (var member : group.members()) {
                var byTopic = new java.util.TreeMap<String, List<Integer>>();
                member.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                        .add(tp.partition()));
                out.append(String.format("    %-26s %s%n", member.instance().map(Instance::name)
                        .orElse("(" + member.clientId() + ")"), byTopic));
            }
        }
        return out.toString();
    }

    private static Optional<Service> serviceOf(String groupId) {
        for (Service service : Service.values()) {
            if (groupId.equals(service.module()) || groupId.startsWith(service.module() + "-")) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
