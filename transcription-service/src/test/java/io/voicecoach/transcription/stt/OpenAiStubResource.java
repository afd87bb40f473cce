package io.voicecoach.transcription.stt;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.util.Map;

/** Starts an {@link OpenAiStub} and points {@code voicecoach.stt.openai.base-url} at it. */
public class OpenAiStubResource implements QuarkusTestResourceLifecycleManager {

    public static volatile OpenAiStub stub;

    @Override
    public Map<String, String> start() {
        try {
            stub = new OpenAiStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("voicecoach.stt.openai.base-url", stub.baseUrl());
    }

    @Override
    public void stop() {
        stub.close();
    }
}
