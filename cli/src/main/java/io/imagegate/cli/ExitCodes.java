package io.imagegate.cli;

import io.imagegate.api.Outcome;

/** The CLI's one table from outcomes to exit codes, shared by every subcommand. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int ERROR = 2;

    private ExitCodes() {}

    static int of(Outcome outcome) {
        return switch (outcome) {
            case PASSED -> OK;
            case POLICY_FAILED, CHANGES_NEEDED -> FAILED;
            case ERROR -> ERROR;
        };
    }
}
