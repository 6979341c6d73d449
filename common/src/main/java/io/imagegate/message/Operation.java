package io.imagegate.message;

import java.util.Locale;

/**
 * imagegate's operations, as every front end offers them (a CLI subcommand, a Maven goal, a Jenkins
 * step).
 */
public enum Operation {
    IMPORT,
    SCAN,
    VET,
    SYNC,
    VERDICT,
    REFS,
    REWRITE,
    GATE,
    UPDATE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
