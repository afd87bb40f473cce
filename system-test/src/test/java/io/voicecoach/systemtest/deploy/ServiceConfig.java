package io.voicecoach.systemtest.deploy;

import io.voicecoach.events.Topics;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one service's {@code application.properties} (prod profile: keys starting with {@code %} are ignored) says it
 * needs from Kafka and from the platform. Derived, never copied, so the manifests are checked against the files as
 * they are:
 * <ul>
 *   <li>each {@code smallrye-kafka} incoming channel: Read on its topic, its group (literal, or a prefix when the
 *       group id contains an instance-specific part such as {@code ${HOSTNAME}} or {@code ${quarkus.uuid}}), its
 *       {@code auto.offset.reset}, and Write on its dead-letter topic when {@code failure-strategy=dead-letter-queue};</li>
 *   <li>each outgoing channel: Write on its topic; an outgoing channel named {@code dead-letters} sets the topic per
 *       record to {@code <topic>.dlq} of what the service reads, so it needs Write on those;</li>
 *   <li>a Kafka Streams application ({@code quarkus.kafka-streams.application-id}): its group (which reads the
 *       source topics, {@code quarkus.kafka-streams.topics}, offset reset {@code kafka-streams.auto.offset.reset},
 *       Kafka Streams' default earliest), Write on its sink topics ({@code voicecoach.streams.sink-topics}, a list
 *       the topology's sinks must match), and the topic and transactional-id prefix {@code <application-id>-}.</li>
 * </ul>
 * And what the Deployment must fit: the image ({@code quarkus.container-image.group}/{@code name}, what Jib builds)
 * and the shutdown's length ({@code quarkus.shutdown.timeout}; the gateway's WebSocket drain,
 * {@code voicecoach.gateway.drain-timeout}, runs before it).
 */
record ServiceConfig(String name, int httpPort, boolean datasource, Map<String, Group> groups,
                     Map<String, Set<String>> topicAccess, String streamsApplicationId, String image,
                     Duration shutdownTimeout, Duration drainTimeout) {

    static final String READ = "Read";
    static final String WRITE = "Write";
    private static final char DYNAMIC = '\u0000';

    /** A consumer group: a literal name (scaled on its lag) or a per-instance prefix (fan-out), and what it reads. */
    record Group(String name, boolean prefix, Set<String> topics, Map<String, String> offsetReset) {
    }

    static ServiceConfig load(Path propertiesFile) {
        return of(prodProperties(propertiesFile));
    }

    /** The file's properties without the profile-specific ones ({@code %dev.}, {@code %test.}). */
    static Map<String, String> prodProperties(Path propertiesFile) {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + propertiesFile, e);
        }
        var prod = new TreeMap<String, String>();
        properties.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                .forEach(key -> prod.put(key, properties.getProperty(key).trim()));
        return prod;
    }

    static ServiceConfig of(Map<String, String> properties) {
        var resolver = new Resolver(properties);
        String name = resolver.get("quarkus.application.name", null);
        int port = Integer.parseInt(resolver.get("quarkus.http.port", "8080"));
        boolean datasource = properties.containsKey("quarkus.datasource.db-kind");
        var groups = new TreeMap<String, Group>();
        var access = new TreeMap<String, Set<String>>();
        var channels = new TreeMap<String, String>();
        for (String key : properties.keySet()) {
            for (String direction : new String[] {"incoming", "outgoing"}) {
                String prefix = "mp.messaging." + direction + ".";
                if (key.startsWith(prefix) && key.endsWith(".connector")
                        && "smallrye-kafka".equals(resolver.get(key, null))) {
                    channels.put(key.substring(prefix.length(), key.length() - ".connector".length()), direction);
                }
            }
        }
        var readByApplicationGroups = new LinkedHashSet<String>();
        boolean parksPerRecord = false;
        for (var channel : channels.entrySet()) {
            String base = "mp.messaging." + channel.getValue() + "." + channel.getKey() + ".";
            String topic = resolver.get(base + "topic", channel.getKey());
            if (channel.getValue().equals("outgoing")) {
                if (channel.getKey().equals("dead-letters")) {
                    parksPerRecord = true;
                } else {
                    grant(access, topic, WRITE);
                }
                continue;
            }
            grant(access, topic, READ);
            String group = resolver.get(base + "group.id", resolver.get("kafka.group.id", name));
            String reset = resolver.get(base + "auto.offset.reset", resolver.get("kafka.auto.offset.reset", "latest"));
            int dynamic = group.indexOf(DYNAMIC);
            boolean perInstance = dynamic >= 0;
            String groupName = perInstance ? group.substring(0, dynamic) : group;
            var existing = groups.computeIfAbsent(groupName,
                    g -> new Group(g, perInstance, new TreeSet<>(), new TreeMap<>()));
            existing.topics().add(topic);
            existing.offsetReset().put(topic, reset);
            if (!perInstance) {
                readByApplicationGroups.add(topic);
            }
            if ("dead-letter-queue".equals(resolver.get(base + "failure-strategy", "fail"))) {
                grant(access, resolver.get(base + "dead-letter-queue.topic", "dead-letter-topic-" + channel.getKey()),
                        WRITE);
            }
        }
        if (parksPerRecord) {
            readByApplicationGroups.forEach(topic -> grant(access, Topics.deadLetter(topic), WRITE));
        }
        String streamsId = properties.containsKey("quarkus.kafka-streams.application-id")
                ? resolver.get("quarkus.kafka-streams.application-id", null) : null;
        if (streamsId != null) {
            var group = groups.computeIfAbsent(streamsId, g -> new Group(g, false, new TreeSet<>(), new TreeMap<>()));
            String reset = resolver.get("kafka-streams.auto.offset.reset", "earliest");
            for (String source : list(resolver.get("quarkus.kafka-streams.topics", ""))) {
                grant(access, source, READ);
                group.topics().add(source);
                group.offsetReset().putIfAbsent(source, reset);
            }
            list(resolver.get("voicecoach.streams.sink-topics", "")).forEach(sink -> grant(access, sink, WRITE));
        }
        String image = resolver.get("quarkus.container-image.group", "") + "/"
                + resolver.get("quarkus.container-image.name", name);
        return new ServiceConfig(name, port, datasource, groups, access, streamsId, image,
                duration(resolver.get("quarkus.shutdown.timeout", "0s")),
                duration(resolver.get("voicecoach.gateway.drain-timeout", "0s")));
    }

    /** A Quarkus duration: ISO-8601 ({@code PT15S}), a number of seconds, or a number with ms, s, m, h or d. */
    static Duration duration(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        }
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(Character.isDigit(text.charAt(text.length() - 1)) ? text
                : text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** Consumer groups that commit offsets under a fixed name: the ones an autoscaler can measure. */
    Map<String, Group> applicationGroups() {
        var out = new LinkedHashMap<String, Group>();
        groups.forEach((name, group) -> {
            if (!group.prefix()) {
                out.put(name, group);
            }
        });
        return out;
    }

    /** Every topic the properties name, in any role. */
    Set<String> topics() {
        return topicAccess.keySet();
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static void grant(Map<String, Set<String>> access, String topic, String operation) {
        access.computeIfAbsent(topic, t -> new TreeSet<>()).add(operation);
    }

    /** Resolves {@code ${key}} and {@code ${key:default}}; host names and UUIDs become a {@link #DYNAMIC} marker. */
    private record Resolver(Map<String, String> properties) {

        String get(String key, String fallback) {
            String value = properties.get(key);
            return value == null ? fallback : resolve(value, 0);
        }

        private String resolve(String value, int depth) {
            if (depth > 10) {
                throw new IllegalStateException("property expressions nest too deep: " + value);
            }
            var out = new StringBuilder();
            int i = 0;
            while (i < value.length()) {
                int start = value.indexOf("${", i);
                if (start < 0) {
                    out.append(value, i, value.length());
                    break;
                }
                int end = value.indexOf('}', start);
                out.append(value, i, start);
                String expression = value.substring(start + 2, end);
                int colon = expression.indexOf(':');
                String ref = colon < 0 ? expression : expression.substring(0, colon);
                if (ref.equals("HOSTNAME") || ref.equals("quarkus.uuid")) {
                    out.append(DYNAMIC);
                } else if (properties.containsKey(ref)) {
                    out.append(resolve(properties.get(ref), depth + 1));
                } else if (colon >= 0) {
                    out.append(resolve(expression.substring(colon + 1), depth + 1));
                } else {
                    out.append(DYNAMIC);
                }
                i = end + 1;
            }
            return out.toString();
        }
    }
}
