package io.imagegate.scan;

import io.imagegate.ImageGateException;

import java.util.Locale;

/** Trivy's severities, lowest first. */
public enum Severity {
    UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL;

    /** Parses a severity name, case-insensitively; {@code where} names the input in the error. */
    public static Severity parse(String text, String where) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ImageGateException(where + ": \"" + text + "\" is not a severity; use UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL");
        }
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
