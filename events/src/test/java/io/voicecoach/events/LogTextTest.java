package io.voicecoach.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void controlAndFormatCharactersBecomeQuestionMarks() {
        assertThat(LogText.of("deep\r\ngram\u001b[31m\u202E\u0000")).isEqualTo("deep??gram?[31m??");
        assertThat(LogText.of("whisper-1")).isEqualTo("whisper-1");
        assertThat(LogText.of("bad\uD800surrogate")).isEqualTo("bad?surrogate");
        assertThat(LogText.of(null)).isEqualTo("null");
    }

    @Test
    void aLongNameIsCutAndItsLengthShown() {
        assertThat(LogText.of("a".repeat(100_000))).isEqualTo("a".repeat(LogText.MAX_CHARS) + "...(100000 chars)");
        assertThat(LogText.of("a".repeat(LogText.MAX_CHARS))).isEqualTo("a".repeat(LogText.MAX_CHARS));
        assertThat(LogText.of("abcdef", 3)).isEqualTo("abc...(6 chars)");
    }
}
