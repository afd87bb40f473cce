package io.voicecoach.transcription.stt;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.util.Map;

/**
 * Starts the local stand-ins of the cloud engines, an {@link OpenAiStub} and a {@link DeepgramStub}, and points
 * {@code voicecoach.stt.openai.base-url} and {@code voicecoach.stt.deepgram.url} at them. Every Quarkus test of this
 * module uses this resource set (with devstack), so the application starts once for all of them.
 */
public class EngineStubsResource implements QuarkusTestResourceLifecycleManager {

    public static volatile OpenAiStub openai;
    public static volatile DeepgramStub deepgram;

    @Override
    public Map<String, String> start() {
        try {
            openai = new OpenAiStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        deepgram = new DeepgramStub();
        return Map.of("voicecoach.stt.openai.base-url", openai.baseUrl(),
                "voicecoach.stt.deepgram.url", deepgram.url(),
                "voicecoach.stt.deepgram.api-key", DeepgramStub.KEY);
    }

    @Override
    public void stop() {
        openai.close();
        deepgram.close();
    }
}
