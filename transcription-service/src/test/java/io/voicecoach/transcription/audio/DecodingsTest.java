package io.voicecoach.transcription.audio;

import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.Recognizer;
import io.voicecoach.transcription.stt.ScriptedEngine;
import io.voicecoach.transcription.stt.SttEngine;
import io.voicecoach.transcription.stt.TestSttConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An utterance's decoding follows from its first chunk's settings and the tenant's configuration, nothing else. */
class DecodingsTest {

    private static final Map<String, String> CONFIG = Map.of(
            "voicecoach.stt.language", "en-US",
            "voicecoach.stt.tenants.acme.phrases", "Acme Cloud",
            "voicecoach.stt.tenants.globex.engine", "other");

    private final SttEngine other = new NamedEngine("other", true);
    private final List<SttEngine> engines = List.of(new ScriptedEngine(), other, new NamedEngine("disabled", false));

    @Test
    void theHeadersChooseEngineLanguageAndPhrasesOnTopOfTheTenantsConfiguration() {
        var plan = decodings(Map.of()).plan("acme", new UtteranceSettings("OTHER", "de-DE", List.of("Initech")));

        assertThat(plan.engine()).isSameAs(other);
        assertThat(plan.language()).isEqualTo("de-DE");
        assertThat(plan.phrases()).containsExactly("Acme Cloud", "Initech");
        assertThat(plan.refusedEngine()).isNull();
    }

    @Test
    void withoutHeadersTheTenantsDefaultsDecode() {
        var acme = decodings(Map.of()).plan("acme", UtteranceSettings.NONE);
        assertThat(acme.engine().name()).isEqualTo(ScriptedEngine.NAME);
        assertThat(acme.language()).isEqualTo("en-US");
        assertThat(acme.phrases()).containsExactly("Acme Cloud");

        assertThat(decodings(Map.of()).plan("globex", UtteranceSettings.NONE).engine()).isSameAs(other);
    }

    @Test
    void anEngineThisInstanceDoesNotHaveIsRefusedAndTheTenantsDefaultDecodes() {
        var decodings = decodings(Map.of());
        for (String asked : List.of("martian-asr", "disabled")) {
            var plan = decodings.plan("globex", new UtteranceSettings(asked, null, List.of("Hooli")));
            assertThat(plan.engine()).isSameAs(other);
            assertThat(plan.refusedEngine()).isEqualTo(asked);
            assertThat(plan.phrases()).containsExactly("Hooli");
        }
    }

    @Test
    void theDiagnosticKnobIgnoresTheHeaders() {
        var plan = decodings(Map.of("voicecoach.stt.ignore-audio-settings", "true"))
                .plan("acme", new UtteranceSettings("martian-asr", "de-DE", List.of("Initech")));

        assertThat(plan.engine().name()).isEqualTo(ScriptedEngine.NAME);
        assertThat(plan.language()).isEqualTo("en-US");
        assertThat(plan.phrases()).containsExactly("Acme Cloud");
        assertThat(plan.refusedEngine()).isNull();
    }

    private Decodings decodings(Map<String, String> extra) {
        var properties = new java.util.HashMap<>(CONFIG);
        properties.putAll(extra);
        var config = TestSttConfig.of(properties);
        return new Decodings(new EngineSelector(engines, config), config);
    }

    private record NamedEngine(String name, boolean enabled) implements SttEngine {
        @Override
        public Recognizer open(RecognitionRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
