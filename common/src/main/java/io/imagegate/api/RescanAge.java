package io.imagegate.api;

import io.imagegate.message.Field;
import java.time.Duration;

/**
 * How old an unchanged image's newest verdict may grow before a sync scans it again in place:
 * {@code --rescan-older-than} and the sync file's {@code rescanAfter}. As {@link Inputs#duration},
 * and {@code 0s} (or {@code 0}) too: every image is scanned again.
 */
final class RescanAge {
    private RescanAge() {}

    static Duration parse(Field field, String text) {
        if (text != null && text.strip().matches("0+(s|m|h|d|ms|min)?")) {
            return Duration.ZERO;
        }
        return Inputs.duration(field, text);
    }
}
