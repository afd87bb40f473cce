package io.voicecoach.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the labelled utterances (JSON lines) from the classpath. */
public final class EvalSet {

    public static final String DEFAULT = "eval/utterances.jsonl";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    public static List<LabelledUtterance> load(String resource) {
        try (InputStream in = EvalSet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("evaluation set " + resource + " not found on the classpath");
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            var utterances = new ArrayList<LabelledUtterance>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    utterances.add(MAPPER.readValue(line, LabelledUtterance.class));
                }
            }
            return List.copyOf(utterances);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evaluation set " + resource, e);
        }
    }

    private EvalSet() {
    }
}
