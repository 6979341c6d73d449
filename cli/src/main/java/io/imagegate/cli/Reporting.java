package io.imagegate.cli;

import io.imagegate.api.OperationResult;

/**
 * A subcommand that ran an operation keeps its result, so in-process callers (the contract tests)
 * see kinds, not text.
 */
interface Reporting {
    OperationResult result();
}
