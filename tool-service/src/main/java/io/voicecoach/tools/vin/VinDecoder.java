package io.voicecoach.tools.vin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Year;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Offline VIN decoding (ISO 3779 / 49 CFR 565):
 * <ul>
 *     <li>positions 1-3: world manufacturer identifier, looked up in {@code vin/wmi.csv}; position 1 gives the region;</li>
 *     <li>position 9: check digit: each character is transliterated (A=1 ... Z=9, digits as they are), multiplied by
 *     its position's weight (8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2), the sum taken modulo 11; 10 is written X.
 *     Mandatory for vehicles built for North America (WMI starting 1-5), informative elsewhere;</li>
 *     <li>position 10: model year, a 30-year cycle of codes; for North America position 7 tells the cycle (digit:
 *     1980-2009, letter: 2010-2039), elsewhere the latest year not after next year is taken;</li>
 *     <li>position 11: plant code; 12-17: serial number.</li>
 * </ul>
 */
public final class VinDecoder {

    public record Decoded(String vin, String wmi, String manufacturer, String region, Integer modelYear,
                          char checkDigit, char expectedCheckDigit, boolean checkDigitRequired, String plantCode,
                          String serialNumber) {
        public boolean checkDigitValid() {
            return checkDigit == expectedCheckDigit;
        }
    }

    private static final int[] WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final String YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789";
    private static final Map<String, String> WMI = loadWmi();

    private VinDecoder() {
    }

    /** @throws IllegalArgumentException when the text is not 17 VIN characters (I, O, Q excluded) */
    public static Decoded decode(String text) {
        String vin = text.strip().toUpperCase();
        if (!vin.matches("[A-HJ-NPR-Z0-9]{17}")) {
            throw new IllegalArgumentException("a VIN is 17 letters and digits without I, O or Q");
        }
        String wmi = vin.substring(0, 3);
        char first = vin.charAt(0);
        boolean northAmerica = first >= '1' && first <= '5';
        return new Decoded(vin, wmi, manufacturer(wmi).orElse(null), region(first), modelYear(vin, northAmerica),
                vin.charAt(8), checkDigit(vin), northAmerica, vin.substring(10, 11), vin.substring(11));
    }

    /** The check digit position 9 must hold. */
    public static char checkDigit(String vin) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += value(vin.charAt(i)) * WEIGHTS[i];
        }
        int remainder = sum % 11;
        return remainder == 10 ? 'X' : (char) ('0' + remainder);
    }

    static Optional<String> manufacturer(String wmi) {
        return Optional.ofNullable(WMI.get(wmi)).or(() -> Optional.ofNullable(WMI.get(wmi.substring(0, 2) + "*")));
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return switch (c) {
            case 'A', 'J' -> 1;
            case 'B', 'K', 'S' -> 2;
            case 'C', 'L', 'T' -> 3;
            case 'D', 'M', 'U' -> 4;
            case 'E', 'N', 'V' -> 5;
            case 'F', 'W' -> 6;
            case 'G', 'P', 'X' -> 7;
            case 'H', 'Y' -> 8;
            case 'R', 'Z' -> 9;
            default -> throw new IllegalArgumentException("not a VIN character: " + c);
        };
    }

    private static Integer modelYear(String vin, boolean northAmerica) {
        int index = YEAR_CODES.indexOf(vin.charAt(9));
        if (index < 0) {
            return null;
        }
        int year = 1980 + index;
        if (northAmerica) {
            return Character.isLetter(vin.charAt(6)) ? year + 30 : year;
        }
        int latest = Year.now().getValue() + 1;
        while (year + 30 <= latest) {
            year += 30;
        }
        return year;
    }

    private static String region(char first) {
        if (first >= '1' && first <= '5') {
            return switch (first) {
                case '2' -> "North America (Canada)";
                case '3' -> "North America (Mexico)";
                default -> "North America (United States)";
            };
        }
        if (first >= 'A' && first <= 'H') {
            return "Africa";
        }
        if (first >= 'J' && first <= 'R') {
            return switch (first) {
                case 'J' -> "Asia (Japan)";
                case 'K' -> "Asia (South Korea)";
                case 'L' -> "Asia (China)";
                default -> "Asia";
            };
        }
        if (first >= 'S' && first <= 'Z') {
            return switch (first) {
                case 'S' -> "Europe (United Kingdom)";
                case 'W' -> "Europe (Germany)";
                case 'Y' -> "Europe (Sweden/Finland)";
                case 'Z' -> "Europe (Italy)";
                default -> "Europe";
            };
        }
        return first == '6' || first == '7' ? "Oceania" : "South America";
    }

    private static Map<String, String> loadWmi() {
        var table = new HashMap<String, String>();
        try (var in = VinDecoder.class.getClassLoader().getResourceAsStream("vin/wmi.csv")) {
            if (in == null) {
                throw new IllegalStateException("vin/wmi.csv is missing from the application");
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .forEach(line -> {
                        int comma = line.indexOf(',');
                        table.put(line.substring(0, comma).strip(), line.substring(comma + 1).strip());
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
