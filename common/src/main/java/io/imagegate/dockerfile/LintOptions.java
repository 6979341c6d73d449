package io.imagegate.dockerfile;

import java.util.Set;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/linter/linter.go ParseLintOptions: the value of a
 * {@code # check=} directive. imagegate runs no lint rules, but a malformed value fails BuildKit's
 * build, so it fails here too.
 */
final class LintOptions {
    /** strconv.ParseBool's spellings. */
    static final Set<String> GO_BOOLEANS =
            Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False");

    private LintOptions() {}

    /** Refuses a check directive value ParseLintOptions refuses, with its message. */
    static void check(String value) throws ParseError {
        String check = value.strip();
        if (check.isEmpty()) {
            return;
        }
        for (String p : check.split(";", 3)) {
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new ParseError("invalid check option \"" + p + "\"");
            }
            String k = p.substring(0, eq).strip();
            String v = p.substring(eq + 1).strip();
            switch (k) {
                case "skip", "experimental" -> {}
                case "error" -> {
                    if (!GO_BOOLEANS.contains(v)) {
                        throw new ParseError("failed to parse check option \"" + p + "\"");
                    }
                }
                default -> throw new ParseError("invalid check option \"" + k + "\"");
            }
        }
    }
}
