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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An utterance's decoding follows from its first chunk's settings and the tenant's configuration, nothing else. */
class DecodingsTest {

    private static final Map<String, String> CONFIG = Map.of(
            "voicecoach.stt.language", "en-US",
            "voicecoach.stt.tenants.acme.phrases", "Acme Cloud",
            "voicecoach.stt.tenants.globex.engine", "other");

    private final SttEngine other = new NamedEngine("other", true);
    private final SttEngine cloud = new NamedEngine("cloud", true, true);
    private final List<SttEngine> engines = List.of(new ScriptedEngine(), other, new NamedEngine("disabled", false),
            cloud, new NamedEngine("offline-cloud", false, true));

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
            assertThat(plan.refusalCode()).isEqualTo("engine_unavailable");
            assertThat(plan.phrases()).containsExactly("Hooli");
        }
    }

    @Test
    void anExternalEngineDecodesOnlyForTenantsWhoseListNamesItOrWhoseDefaultItIs() {
        var decodings = decodings(Map.of(
                "voicecoach.stt.tenants.initech.allowed-engines", "local,CLOUD",
                "voicecoach.stt.tenants.hooli.engine", "cloud"));

        var refused = decodings.plan("acme", new UtteranceSettings("cloud", null, List.of()));
        assertThat(refused.engine().name()).isEqualTo(ScriptedEngine.NAME);
        assertThat(refused.refusedEngine()).isEqualTo("cloud");
        assertThat(refused.refusalCode()).isEqualTo("engine_not_allowed");
        // the policy comes before availability: the same answer on an instance without the engine
        assertThat(decodings.plan("acme", new UtteranceSettings("offline-cloud", null, List.of())).refusalCode())
                .isEqualTo("engine_not_allowed");

        assertThat(decodings.plan("initech", new UtteranceSettings("cloud", null, List.of())).engine()).isSameAs(cloud);
        var hooli = decodings.plan("hooli", new UtteranceSettings("cloud", null, List.of()));
        assertThat(hooli.engine()).isSameAs(cloud);
        assertThat(hooli.refusedEngine()).isNull();
        // local engines: choosable under the default list "local"
        assertThat(decodings.plan("acme", new UtteranceSettings("other", null, List.of())).engine()).isSameAs(other);
        assertThat(decodings.plan("initech", new UtteranceSettings("disabled", null, List.of())).refusalCode())
                .isEqualTo("engine_unavailable");
    }

    @Test
    void anAllowedListWithoutLocalRestrictsLocalEnginesToo() {
        var decodings = decodings(Map.of("voicecoach.stt.allowed-engines", "cloud"));

        var plan = decodings.plan("acme", new UtteranceSettings("other", null, List.of()));
        assertThat(plan.engine().name()).isEqualTo(ScriptedEngine.NAME);
        assertThat(plan.refusalCode()).isEqualTo("engine_not_allowed");
        assertThat(decodings.plan("acme", new UtteranceSettings("cloud", null, List.of())).engine()).isSameAs(cloud);
        assertThat(decodings.plan("acme", new UtteranceSettings(ScriptedEngine.NAME, null, List.of())).refusedEngine())
                .isNull(); // the tenant's default, always
        assertThat(decodings.plan("globex", new UtteranceSettings("other", null, List.of())).refusedEngine()).isNull();
    }

    @Test
    void anAllowedListNamingNoEngineStopsTheStart() {
        assertThatThrownBy(() -> decodings(Map.of("voicecoach.stt.tenants.acme.allowed-engines", "local,deepgarm")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("voicecoach.stt.tenants.\"acme\".allowed-engines names deepgarm");
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

    private record NamedEngine(String name, boolean enabled, boolean external) implements SttEngine {
        NamedEngine(String name, boolean enabled) {
            this(name, enabled, false);
        }

        @Override
        public Recognizer open(RecognitionRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
