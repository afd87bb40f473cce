package io.voicecoach.coaching.llm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/** Adds the tenant's API key: {@code Authorization: Bearer <key>}, or the raw key in another header (Azure's {@code api-key}). */
final class LlmKeyFilter implements ClientRequestFilter {

    private final String header;
    private final String value;

    LlmKeyFilter(String header, String key) {
        this.header = header;
        this.value = "authorization".equalsIgnoreCase(header) ? "Bearer " + key : key;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(header, value);
    }
}
