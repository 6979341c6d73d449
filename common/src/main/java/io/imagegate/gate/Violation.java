package io.imagegate.gate;

import io.imagegate.dockerfile.ImageRef;

/** One reference a build may not use: where, which rule it breaks, and the command that fixes it. */
public record Violation(ImageRef ref, String rule, String fix) {
    /** {@code file:line: written: rule (fix: …)} */
    public String describe() {
        return ref.file() + ":" + ref.line() + ": " + ref.written() + ": " + rule + " (fix: " + fix + ")";
    }
}
