package io.voicecoach.events;

import io.voicecoach.events.internal.KnowledgeSearchResults;
import io.voicecoach.events.internal.ToolList;
import io.voicecoach.events.internal.VerifiedCredential;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire contract: docs/contracts.md's event tables are what the registry and the records say. A renamed type,
 * payload or field changes the generated tables and fails here; fix the docs only once every reader copes with the
 * change (records already on Kafka keep their old names).
 */
class EventRegistryContractTest {

    private static final Path CONTRACTS = Path.of("..", "docs", "contracts.md");
    private static final String BEGIN = "<!-- event-types: generated from EventRegistry, checked by EventRegistryContractTest -->";
    private static final String END = "<!-- event-types: end -->";
    private static final List<Class<? extends Record>> INTERNAL_BODIES = List.of(VerifiedCredential.class,
            KnowledgeSearchResults.class, ToolList.class);

    @Test
    void theEventTablesOfTheContractsAreTheRegistrys() throws IOException {
        String docs = Files.readString(CONTRACTS);
        int begin = docs.indexOf(BEGIN);
        int end = docs.indexOf(END);
        assertThat(begin).as("docs/contracts.md has the generated section").isNotNegative();
        assertThat(end).isGreaterThan(begin);

        String documented = docs.substring(begin + BEGIN.length(), end).strip();

        assertThat(documented).as("docs/contracts.md between the event-types markers; expected:%n%s%n", tables())
                .isEqualTo(tables());
    }

    @Test
    void theTopicTableListsEveryTypeOfEachTopic() throws IOException {
        String docs = Files.readString(CONTRACTS);
        var row = Pattern.compile("^\\| `([a-z.]+)` \\| [^|]+ \\| envelope: ([^|]+) \\|", Pattern.MULTILINE).matcher(docs);
        var seen = new TreeSet<String>();
        while (row.find()) {
            String topic = row.group(1);
            var names = new LinkedHashSet<String>();
            var name = Pattern.compile("`([a-z_.]+)`").matcher(row.group(2));
            while (name.find()) {
                names.add(name.group(1));
            }
            assertThat(names).as("event types of %s in the topic table", topic)
                    .containsExactlyInAnyOrderElementsOf(names(EventRegistry.onTopic(topic)));
            seen.add(topic);
        }
        var topics = EventRegistry.ALL.stream().map(EventType::topic).collect(Collectors.toCollection(TreeSet::new));
        assertThat(seen).isEqualTo(topics);
    }

    @Test
    void everyTypeHasASampleAndThePayloadsAgreeWithTheRegistry() {
        Set<String> sampled = EventSamples.all().stream().map(p -> EventRegistry.typeOf(p).name()).collect(Collectors.toSet());

        assertThat(sampled).containsExactlyInAnyOrderElementsOf(names(EventRegistry.ALL));
        for (var type : EventRegistry.ALL) {
            assertThat(EventRegistry.byName(type.name())).contains(type);
            assertThat(Topics.PIPELINE).contains(type.topic());
        }
    }

    /** The generated section: event types, then the value records inside payloads, then the internal REST bodies. */
    static String tables() {
        var out = new StringBuilder();
        out.append("| type | topic | payload | fields |\n|---|---|---|---|\n");
        var values = new LinkedHashSet<Class<?>>();
        for (var type : EventRegistry.ALL) {
            out.append("| `").append(type.name()).append("` | `").append(type.topic()).append("` | `")
                    .append(type.payload().getSimpleName()).append("` | ").append(fields(type.payload(), values))
                    .append(" |\n");
        }
        out.append("\nValue records inside payloads:\n\n| record | fields |\n|---|---|\n");
        for (var value : List.copyOf(values)) {
            out.append("| `").append(value.getSimpleName()).append("` | ").append(fields(value, values)).append(" |\n");
        }
        out.append("\nBodies of the internal REST endpoints (`io.voicecoach.events.internal`):\n\n"
                + "| record | fields |\n|---|---|\n");
        for (var body : INTERNAL_BODIES) {
            out.append("| `").append(body.getSimpleName()).append("` | ").append(fields(body, new LinkedHashSet<>()))
                    .append(" |\n");
        }
        return out.toString().strip();
    }

    private static String fields(Class<?> record, Set<Class<?>> values) {
        return Arrays.stream(record.getRecordComponents())
                .map(component -> "`" + component.getName() + ": " + typeName(component.getGenericType(), values) + "`")
                .collect(Collectors.joining(", "));
    }

    private static String typeName(Type type, Set<Class<?>> values) {
        if (type instanceof ParameterizedType generic) {
            return ((Class<?>) generic.getRawType()).getSimpleName() + Arrays.stream(generic.getActualTypeArguments())
                    .map(argument -> typeName(argument, values)).collect(Collectors.joining(",", "<", ">"));
        }
        var type1 = (Class<?>) type;
        if (type1.isRecord() && type1.getPackageName().equals(Event.class.getPackageName())) {
            values.add(type1);
        }
        return type1.getName().startsWith("com.fasterxml.jackson") ? "JSON" : type1.getSimpleName();
    }

    private static List<String> names(List<EventType<?>> types) {
        return types.stream().map(EventType::name).toList();
    }

}
