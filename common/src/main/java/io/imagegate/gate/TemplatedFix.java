package io.imagegate.gate;

import io.imagegate.dockerfile.DockerfileRewriter;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.dockerfile.TemplatedReference;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Message;
import io.imagegate.message.Operation;
import io.imagegate.reference.ImageReference;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fix for a Dockerfile reference written with variables, where a rewrite cannot do it all: it
 * never pins a tag chosen by a variable, cannot change a build arg, and cannot rewrite a repository
 * written with a variable. The fix names the edit: the exact line to write, or the build arg to
 * give.
 */
public final class TemplatedFix {
    private static final Pattern WHOLE_ARG = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");

    private TemplatedFix() {}

    /**
     * The fix for {@code v}, when its reference is written with variables and the gate's own fix
     * would not fix it; empty otherwise.
     *
     * @param text the Dockerfile's text, as read
     * @param buildArgs the build args the gate read it with
     */
    public static Optional<Message> of(
            Violation v, String text, Gate rules, Map<String, String> buildArgs) {
        ImageRef ref = v.ref();
        if (ref.kind() == ImageRef.Kind.CONFIGURED
                || !ref.written().contains("$")
                || ref.reference().isEmpty()
                || ref.viaArg().isPresent()
                || (v.rule() != Violation.Rule.UNTRUSTED && v.rule() != Violation.Rule.UNPINNED)) {
            return Optional.empty(); // the gate's fix works (a rewrite changes an ARG default)
        }
        ImageReference image = ref.reference().get();
        Matcher whole = WHOLE_ARG.matcher(ref.written());
        if (whole.matches() && buildArgs.containsKey(whole.group(1))) {
            return Optional.of(buildArg(v, whole.group(1), image, rules));
        }
        if (v.rule() == Violation.Rule.UNPINNED) {
            return Optional.of(
                    Message.of(
                            "gate.fix-edit-line-pin",
                            "a tag chosen by a variable is not pinned: edit {0} line {1} to: {2};"
                                    + " then {3}",
                            ref.file(),
                            ref.line(),
                            DockerfileRewriter.editedLine(text, ref, image.toString()),
                            v.fix()));
        }
        String target = rules.trustedName(image);
        Optional<TemplatedReference> template =
                TemplatedReference.of(ref.written()).filter(t -> t.names(image));
        String replacement =
                template.isPresent()
                        ? template.get().withRepository(ImageReference.parse(target).name())
                        : target;
        return Optional.of(
                Message.of(
                        "gate.fix-edit-line",
                        "{0} && edit {1} line {2} to: {3}",
                        Fix.of(Operation.VET)
                                .with(Field.SOURCE, image.toString())
                                .with(Field.TARGET, target),
                        ref.file(),
                        ref.line(),
                        DockerfileRewriter.editedLine(text, ref, replacement)));
    }

    /** Written as {@code $NAME} and given as a build arg: the build arg is what to change. */
    private static Message buildArg(Violation v, String name, ImageReference image, Gate rules) {
        if (v.rule() == Violation.Rule.UNPINNED) {
            return Message.of(
                    "gate.fix-build-arg-pin",
                    "give the build arg {0}={1} pinned by its digest ({1}@sha256:…) ({2})",
                    name,
                    image,
                    Field.BUILD_ARG);
        }
        String target = rules.trustedName(image);
        return Message.of(
                "gate.fix-build-arg",
                "{0} && give the build arg {1}={2} ({3})",
                Fix.of(Operation.VET)
                        .with(Field.SOURCE, image.toString())
                        .with(Field.TARGET, target),
                name,
                target,
                Field.BUILD_ARG);
    }
}
