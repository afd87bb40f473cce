package io.voicecoach.tools.privacy;

/** Masks personal data before it reaches a log line: enough is left to correlate, not to identify. */
public final class Pii {

    private Pii() {
    }

    /** {@code +15551234567} -> {@code +1*******567}: the first two and last three characters stay. */
    public static String phone(String phone) {
        if (phone == null || phone.isBlank()) {
            return "-";
        }
        int keepEnd = phone.length() > 6 ? 3 : 0;
        int keepStart = Math.min(2, phone.length() - keepEnd);
        return phone.substring(0, keepStart) + "*".repeat(phone.length() - keepStart - keepEnd)
                + phone.substring(phone.length() - keepEnd);
    }

    /** {@code jane.doe@example.com} -> {@code j***@example.com}. */
    public static String email(String email) {
        if (email == null || email.isBlank()) {
            return "-";
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    /** {@code Jane Doe} -> {@code J*** D***}. */
    public static String name(String name) {
        if (name == null || name.isBlank()) {
            return "-";
        }
        var masked = new StringBuilder();
        for (String part : name.strip().split("\\s+")) {
            if (!masked.isEmpty()) {
                masked.append(' ');
            }
            masked.append(part.charAt(0)).append("***");
        }
        return masked.toString();
    }
}
