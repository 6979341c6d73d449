package io.imagegate.finding;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.util.Locale;

/** Trivy's severities, lowest first. */
public enum Severity {
    UNKNOWN,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** Parses a severity name, case-insensitively; {@code where} names the input in the error. */
    public static Severity parse(String text, String where) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ImageGateException.of(
                    ErrorKind.USAGE,
                    "severity.invalid",
                    "{0}: \"{1}\" is not a severity; use UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL",
                    where,
                    String.valueOf(text));
        }
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
