package io.imagegate.update;

import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import io.imagegate.vetting.VerdictDocument;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The update in Markdown, for a pull request's description: per image the old and new digests,
 * where it changed, its verdict (when, which, signed by whom), the findings the new digest fixed,
 * introduced and still has, and allowlist entries about to expire; then the references left alone.
 * Every value from a registry or a file is escaped: a verdict's text cannot add Markdown.
 */
public final class Summary {
    private Summary() {}

    public static String markdown(Plan plan, Path base, Vocabulary vocabulary) {
        StringBuilder out = new StringBuilder();
        List<Plan.ImageChange> changed = plan.changedImages();
        out.append("# Vetted base-image updates\n\n");
        if (changed.isEmpty()) {
            out.append(
                    "Nothing to update: every trusted reference is pinned to the newest vetted"
                            + " digest of its tag.\n");
        }
        for (Plan.ImageChange image : changed) {
            out.append("## `").append(code(image.tag().toString())).append("`\n\n");
            String from =
                    image.from().isEmpty()
                            ? "(by tag)"
                            : image.from().stream()
                                    .map(d -> "`" + d + "`")
                                    .collect(Collectors.joining(", "));
            out.append("- Digest: ").append(from).append(" → `").append(image.to()).append("`\n");
            out.append("- Vetted at: ").append(image.vettedAt()).append('\n');
            out.append("- Verdict: `").append(image.verdict()).append("`\n");
            out.append("- Signature: ").append(text(image.signer())).append('\n');
            out.append("- Changed: ")
                    .append(
                            image.places().stream()
                                    .map(p -> "`" + code(relative(base, p)) + "`")
                                    .collect(Collectors.joining(", ")))
                    .append("\n\n");
            table(out, "Fixed", image.fixed());
            table(out, "Introduced", image.introduced());
            table(out, "Still present", image.stillPresent());
            if (!image.expiring().isEmpty()) {
                out.append("Allowlist entries the verdict rests on that expire within ")
                        .append(Updater.EXPIRY_WARNING.toDays())
                        .append(" days:\n\n");
                for (VerdictDocument.Allowance a : image.expiring()) {
                    out.append("- ")
                            .append(text(a.id()))
                            .append(" in ")
                            .append(text(a.packageName()))
                            .append(": expires ")
                            .append(text(a.expires()))
                            .append('\n');
                }
                out.append('\n');
            }
        }
        if (!plan.held().isEmpty()) {
            out.append("## Left as they are\n\n");
            for (Plan.Held h : plan.held()) {
                out.append("- `")
                        .append(code(relative(base, new Plan.Place(h.file(), h.line()))))
                        .append("` `")
                        .append(code(h.written()))
                        .append("`: ")
                        .append(text(h.reason().render(vocabulary)))
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** The findings fixed and introduced, as a changelog (Renovate's). */
    static String changelog(Plan.ImageChange image) {
        StringBuilder out = new StringBuilder();
        table(out, "Fixed", image.fixed());
        table(out, "Introduced", image.introduced());
        return out.toString();
    }

    private static void table(StringBuilder out, String title, List<Finding> findings) {
        out.append("**").append(title).append("** (").append(findings.size()).append(")");
        if (findings.isEmpty()) {
            out.append("\n\n");
            return;
        }
        out.append("\n\n| Severity | Vulnerability | Package | Installed | Fixed in |\n");
        out.append("|---|---|---|---|---|\n");
        for (Finding f : findings) {
            out.append("| ")
                    .append(f.severity())
                    .append(" | ")
                    .append(text(f.id()))
                    .append(" | ")
                    .append(text(f.packageName()))
                    .append(" | ")
                    .append(text(f.installedVersion()))
                    .append(" | ")
                    .append(text(f.fixedVersion()))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static String relative(Path base, Plan.Place place) {
        try {
            return UnifiedDiff.relative(base, place.file()) + ":" + place.line();
        } catch (RuntimeException e) {
            return place.toString();
        }
    }

    /** Inside a code span: no backtick, no line break. */
    private static String code(String value) {
        return Message.neutralize(value).replace('`', '\'').replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Plain text: the characters Markdown and HTML act on anywhere in a line escaped, on one line
     * (no value starts a line, so list and heading markers need none).
     */
    static String text(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : Message.neutralize(value).toCharArray()) {
            if ("\\`*_[]|<>&~".indexOf(c) >= 0) {
                out.append('\\');
                out.append(c);
            } else if (c == '\n' || c == '\r') {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
