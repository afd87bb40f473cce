package io.voicecoach.gateway.audio;

import io.quarkus.runtime.Startup;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The configured voice activity engine. With {@code silero} the model is loaded and checked at start-up, so a missing
 * or corrupt file stops the service with a message naming the property, instead of failing on the first call.
 */
@Startup
@Singleton
public class VoiceActivityEngine implements TurnDetectors {

    private static final Logger LOG = Logger.getLogger(VoiceActivityEngine.class);

    private final TurnDetector.VadTuning tuning;
    private final SileroModel silero;

    @Inject
    public VoiceActivityEngine(VadConfig vad, GatewayConfig gateway) {
        this(vad, new TurnDetector.VadTuning(gateway.vadMinSpeechDbfs(), gateway.vadMinSpeechMs(),
                gateway.vadFloorWindowMs()));
    }

    VoiceActivityEngine(VadConfig vad, TurnDetector.VadTuning tuning) {
        this.tuning = tuning;
        this.silero = vad.engine() == VadConfig.Engine.SILERO ? loadSilero(vad) : null;
        LOG.infof("server_vad engine: %s", silero == null ? "energy" : "silero");
    }

    private static SileroModel loadSilero(VadConfig vad) {
        var path = vad.sileroModel().orElseThrow(() -> new IllegalStateException(
                "voicecoach.vad.engine=silero needs voicecoach.vad.silero-model=<path of silero_vad.onnx>"));
        try {
            return SileroModel.load(path, vad.sileroThreads());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("voicecoach.vad.silero-model: " + e.getMessage()
                    + " (see the gateway-service README for how to fetch the model)", e);
        }
    }

    @Override
    public TurnDetector create(TurnDetection settings) {
        if (silero == null) {
            return TurnDetector.energy(settings, tuning);
        }
        return new TurnDetector(settings, new SileroClassifier(silero), tuning.minSpeechMs());
    }

    @PreDestroy
    void close() {
        if (silero != null) {
            silero.close();
        }
    }
}
