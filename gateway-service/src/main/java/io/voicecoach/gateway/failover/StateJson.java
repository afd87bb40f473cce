package io.voicecoach.gateway.failover;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON of the gateway's own records on its compacted topics ({@code gateway.sessions} snapshots,
 * {@code gateway.instances} beats), which are states, not events: instants as ISO-8601 text, unknown fields ignored
 * (an older instance reads a newer one's records during a rolling upgrade), nulls written (an absent value and one
 * switched off must not read the same).
 */
public final class StateJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private StateJson() {
    }
}
