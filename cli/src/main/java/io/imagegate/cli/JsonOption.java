package io.imagegate.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json}, which every command takes: stdout carries one JSON document and nothing else
 * (docs/cli.md, "JSON output"); what the command would print there goes to stderr instead, with the
 * progress.
 */
final class JsonOption {
    static final String NAME = "--json";

    @Option(
            names = NAME,
            preprocessor = Switch.class,
            description =
                    "Print one JSON document to stdout (the result, or the error); other output goes to stderr.")
    boolean json;

    boolean enabled() {
        return json;
    }
}
