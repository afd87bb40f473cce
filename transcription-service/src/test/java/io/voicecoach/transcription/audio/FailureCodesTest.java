package io.voicecoach.transcription.audio;

import io.voicecoach.transcription.stt.SttException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureCodesTest {

    @Test
    void engineCodesMapOntoTheFourCodesClientsSee() {
        assertThat(FailureCodes.of(new TimeoutException())).isEqualTo("engine_timeout");
        assertThat(FailureCodes.of(new SttException("engine_timeout", "x"))).isEqualTo("engine_timeout");
        for (String unavailable : new String[]{"engine_unavailable", "engine_unreachable", "engine_unauthorized", "engine_overloaded"}) {
            assertThat(FailureCodes.of(new SttException(unavailable, "x"))).as(unavailable).isEqualTo("engine_unavailable");
        }
        assertThat(FailureCodes.of(new SttException("audio_invalid", "x"))).isEqualTo("audio_invalid");
        assertThat(FailureCodes.of(new SttException("utterance_too_long", "x"))).isEqualTo("audio_invalid");
        for (String error : new String[]{"engine_error", "engine_rejected", "engine_bad_response", "something_new"}) {
            assertThat(FailureCodes.of(new SttException(error, "x"))).as(error).isEqualTo("engine_error");
        }
        assertThat(FailureCodes.of(new IllegalStateException("bug"))).isEqualTo("engine_error");
    }
}
