package io.voicecoach.tools;

import io.voicecoach.tools.phone.PhoneNumbers;
import io.voicecoach.tools.privacy.Pii;
import io.voicecoach.tools.vin.VinDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plain unit tests: phone normalisation, personal-data masking, VIN decoding. */
class NormalisersTest {

    @Test
    void phoneNumbersBecomeE164() {
        var us = new PhoneNumbers("US");
        assertThat(us.toE164("(617) 555-0101")).hasValue("+16175550101");
        assertThat(us.toE164("1-617-555-0101 ext. 12")).hasValue("+16175550101");
        assertThat(us.toE164("+44 20 7946 0958")).hasValue("+442079460958");
        assertThat(us.toE164("0044 20 7946 0958")).hasValue("+442079460958");
        assertThat(us.toE164("555-0101")).isEmpty();
        assertThat(us.toE164("+1 617 555 01")).isEmpty();
        assertThat(us.toE164("call me")).isEmpty();
        assertThat(us.toE164(null)).isEmpty();

        var gb = new PhoneNumbers("gb");
        assertThat(gb.toE164("020 7946 0958")).hasValue("+442079460958");
        assertThat(new PhoneNumbers("NO").toE164("412 34 567")).hasValue("+4741234567");
        assertThatThrownBy(() -> new PhoneNumbers("XX")).hasMessageContaining("unsupported");
    }

    @Test
    void personalDataIsMaskedForLogs() {
        assertThat(Pii.phone("+16175550101")).isEqualTo("+1*******101").doesNotContain("555");
        assertThat(Pii.email("maria.gonzalez@example.com")).isEqualTo("m***@example.com");
        assertThat(Pii.name("Maria Gonzalez")).isEqualTo("M*** G***");
        assertThat(Pii.phone(null)).isEqualTo("-");
        assertThat(Pii.email("nonsense")).isEqualTo("***");
    }

    @Test
    void vinCheckDigitAndModelYear() {
        assertThat(VinDecoder.checkDigit("1M8GDM9AXKP042788")).isEqualTo('X');
        var decoded = VinDecoder.decode("1M8GDM9AXKP042788");
        assertThat(decoded.checkDigitValid()).isTrue();
        assertThat(decoded.manufacturer()).isEqualTo("Motor Coach Industries");
        // position 7 is a digit: the 1980-2009 cycle, K = 1989
        assertThat(decoded.modelYear()).isEqualTo(1989);
        // position 7 is a letter: the 2010-2039 cycle, L = 2020
        assertThat(VinDecoder.decode("1G1ZD5ST0LF000011").modelYear()).isEqualTo(2020);
        assertThat(VinDecoder.decode("1G1ZD5ST0LF000011").manufacturer()).isEqualTo("Chevrolet");
        assertThat(VinDecoder.decode("9ZZZZZZZZZZZZZZZZ").manufacturer()).isNull();
        assertThatThrownBy(() -> VinDecoder.decode("1G1ZD5ST0LF00001I")).isInstanceOf(IllegalArgumentException.class);
    }
}
