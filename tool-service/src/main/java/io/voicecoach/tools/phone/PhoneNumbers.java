package io.voicecoach.tools.phone;

import java.util.Map;
import java.util.Optional;

/**
 * Normalises phone numbers to E.164 ({@code +<country code><number>}, 8 to 15 digits), without a phone library:
 * <ul>
 *     <li>spaces, dots, dashes, slashes and parentheses are dropped, as is an extension after {@code x} or {@code ext};</li>
 *     <li>{@code +...} and {@code 00...} are international: the digits are kept as they are;</li>
 *     <li>otherwise the number is national in the default region: for NANP regions (US, CA) 10 digits, or 11
 *     starting with 1, get {@code +1}; for the other regions in {@link #COUNTRY_CODES} one leading trunk {@code 0}
 *     is dropped and the country code prefixed.</li>
 * </ul>
 * It checks the shape, not whether the number exists.
 */
public final class PhoneNumbers {

    /** Country calling codes of the regions a national number can be written in. */
    static final Map<String, String> COUNTRY_CODES = Map.ofEntries(
            Map.entry("US", "1"), Map.entry("CA", "1"), Map.entry("GB", "44"), Map.entry("IE", "353"),
            Map.entry("DE", "49"), Map.entry("FR", "33"), Map.entry("NL", "31"), Map.entry("BE", "32"),
            Map.entry("ES", "34"), Map.entry("IT", "39"), Map.entry("NO", "47"), Map.entry("SE", "46"),
            Map.entry("DK", "45"), Map.entry("FI", "358"), Map.entry("AU", "61"), Map.entry("NZ", "64"),
            Map.entry("IN", "91"), Map.entry("CH", "41"), Map.entry("AT", "43"), Map.entry("PL", "48"));

    private final String region;
    private final String countryCode;

    public PhoneNumbers(String defaultRegion) {
        this.region = defaultRegion.toUpperCase();
        this.countryCode = COUNTRY_CODES.get(region);
        if (countryCode == null) {
            throw new IllegalArgumentException("unsupported default phone region " + defaultRegion
                    + "; supported: " + String.join(", ", COUNTRY_CODES.keySet().stream().sorted().toList()));
        }
    }

    /** The number in E.164, or empty if it cannot be one. */
    public Optional<String> toE164(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String text = raw.strip().toLowerCase().replaceFirst("\\s*(x|ext\\.?|extension)\\s*\\d+$", "");
        if (!text.matches("\\+?[0-9 .\\-/()]+")) {
            return Optional.empty();
        }
        boolean plus = text.startsWith("+");
        String digits = text.replaceAll("[^0-9]", "");
        String international;
        if (plus) {
            international = digits;
        } else if (digits.startsWith("00")) {
            international = digits.substring(2);
        } else if (countryCode.equals("1")) {
            if (digits.length() == 10) {
                international = "1" + digits;
            } else if (digits.length() == 11 && digits.startsWith("1")) {
                international = digits;
            } else {
                return Optional.empty();
            }
        } else {
            international = countryCode + (digits.startsWith("0") ? digits.substring(1) : digits);
        }
        if (!international.matches("[1-9][0-9]{7,14}")) {
            return Optional.empty();
        }
        if (international.startsWith("1") && international.length() != 11) {
            return Optional.empty();
        }
        return Optional.of("+" + international);
    }

    public String region() {
        return region;
    }
}
