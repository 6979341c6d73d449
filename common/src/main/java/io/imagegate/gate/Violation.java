package io.imagegate.gate;

import io.imagegate.dockerfile.ImageRef;
import io.imagegate.message.Edit;
import io.imagegate.message.Fix;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import java.util.List;
import java.util.Optional;

/**
 * One reference a build may not use: where, which rule it breaks and why, and what fixes it: in
 * words ({@code fix}), and structured: the commands to run in order ({@code fixes}), then the edit
 * no command makes ({@code edit}), so that a front end or a test can carry them out.
 */
public record Violation(
        ImageRef ref,
        Rule rule,
        Message reason,
        Message fix,
        List<Fix> fixes,
        Optional<Edit> edit) {
    /** The gate's rules, in the order they are checked. */
    public enum Rule {
        /** The reference could not be resolved (an ARG without a value, an invalid reference). */
        UNRESOLVED,
        /** Outside every trusted registry prefix. */
        UNTRUSTED,
        /** Not pinned by digest, where digests are required. */
        UNPINNED,
        /** No PASS verdict that the vetting check accepts. */
        NOT_VETTED
    }

    public Violation {
        fixes = List.copyOf(fixes);
        edit = edit == null ? Optional.empty() : edit;
    }

    /** A violation whose fix is in words only. */
    public Violation(ImageRef ref, Rule rule, Message reason, Message fix) {
        this(ref, rule, reason, fix, List.of(), Optional.empty());
    }

    /**
     * {@code file:line: written: reason (fix: …)} in a front end's words; without a line (the
     * command line), {@code file: written: …}.
     */
    public String describe(Vocabulary vocabulary) {
        return Message.neutralize(
                        ref.file()
                                + (ref.line() > 0 ? ":" + ref.line() : "")
                                + ": "
                                + ref.written())
                + ": "
                + reason.render(vocabulary)
                + " (fix: "
                + fix.render(vocabulary)
                + ")";
    }
}
