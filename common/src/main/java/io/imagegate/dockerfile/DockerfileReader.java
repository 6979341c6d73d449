package io.imagegate.dockerfile;

import io.imagegate.dockerfile.StageGraph.Stage;
import io.imagegate.dockerfile.StageGraph.State;
import io.imagegate.message.Field;
import io.imagegate.message.Message;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every image a Dockerfile's build uses, as BuildKit (v0.34, the version tools/buildkit-refs
 * pins) decides it: the frontend named by the syntax directive, the base image of every stage,
 * {@code COPY --from} and {@code RUN --mount=…,from=} images, and references in {@code ONBUILD}
 * instructions (which downstream builds pull). The parsing is a port of BuildKit's own, file by
 * file: {@link DirectiveParser} and {@link BuildKitParser} (parser), {@link Instructions}, {@link
 * BFlags} and {@link RunMount} (instructions), {@link StageGraph} and {@link DispatchChecks}
 * (dockerfile2llb), {@link ShellLex} (shell). This class does what is imagegate's own: it resolves
 * global ARGs, FROM, {@code COPY --from} and mount sources to references with their spans. A file
 * BuildKit refuses is a {@link DockerfileException}. Every stage counts, as if each could be the
 * build target.
 */
public final class DockerfileReader {
    private static final Pattern WHOLE_ARG = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");

    /** The message code of a reference that uses a global ARG declared without a value. */
    public static final String ARG_UNSET = "dockerfile.arg-unset";

    private final Path file;
    private final Map<String, String> buildArgs;
    private final Platform target;
    private final List<ImageRef> refs = new ArrayList<>();

    /** Global ARG values (with the automatic platform args); null values are never stored. */
    private final Map<String, String> env = new HashMap<>();

    /** Global ARGs declared without a value that no build arg set. */
    private final Set<String> unset = new HashSet<>();

    /** Values that depend on an unset ARG. */
    private final Set<String> tainted = new HashSet<>();

    private final Map<String, ImageRef.ArgDefault> argDefaults = new HashMap<>();

    private DockerfileReader(Path file, Map<String, String> buildArgs, Platform target) {
        this.file = file;
        this.buildArgs = Map.copyOf(buildArgs);
        this.target = target;
    }

    /**
     * Reads a Dockerfile's text. {@code buildArgs} override declared global ARGs and the automatic
     * platform args; {@code target} sets the automatic platform args ({@code TARGETARCH}, …, and
     * {@code BUILD…} alike), linux/amd64 when absent.
     */
    public static List<ImageRef> read(
            Path file, String text, Map<String, String> buildArgs, Optional<Platform> target) {
        DockerfileReader reader =
                new DockerfileReader(file, buildArgs, target.orElse(Platform.of("linux", "amd64")));
        reader.run(text.startsWith("\uFEFF") ? text.substring(1) : text);
        return List.copyOf(reader.refs);
    }

    private DockerfileException fail(int line, String problem) {
        return new DockerfileException(file, Math.max(1, line), problem);
    }

    // ---------------------------------------------------------------- the whole file

    private void run(String text) {
        if (text.isEmpty()) {
            throw fail(1, "the Dockerfile cannot be empty");
        }
        syntax(text);
        checkDirective(text);
        BuildKitParser.Result parsed;
        try {
            parsed = BuildKitParser.parse(text);
        } catch (ParseError e) {
            throw fail(e.line(), e.getMessage());
        }
        char escape = parsed.escape();
        StageGraph graph;
        try {
            graph = StageGraph.parse(parsed.nodes());
        } catch (ParseError e) {
            throw fail(e.line(), e.getMessage());
        }
        List<Stage> stages = graph.stages();
        String lastName = stages.get(stages.size() - 1).name;
        automaticArgs(lastName.isEmpty() ? "default" : lastName);
        ShellLex lex = new ShellLex(escape);
        for (BuildKitParser.Node node : graph.metaArgs()) {
            globalArg(node, lex);
        }
        // buildDispatchStates: every stage's base and platform, with the global ARGs.
        for (Stage stage : stages) {
            from(stage, lex, graph);
            graph.add(stage);
        }
        // buildStageDependencyGraph: COPY --from and RUN --mount sources.
        ShellLex empty = new ShellLex(escape);
        for (Stage stage : stages) {
            for (BuildKitParser.Node node : stage.commands) {
                String instruction = GoText.toLower(node.value);
                if (instruction.equals("copy")) {
                    copyFrom(stage, node, node, empty, graph, false);
                } else if (instruction.equals("run")) {
                    mounts(stage, node, node, graph, false);
                } else if (instruction.equals("onbuild") && node.child != null) {
                    onbuild(node, graph);
                }
            }
        }
        // resolveStages: the sources of the ONBUILD triggers that run.
        graph.markTriggers();
        for (Stage stage : stages) {
            if (!stage.triggers) {
                continue;
            }
            for (BuildKitParser.Node node : stage.base.onbuilds()) {
                BuildKitParser.Node trigger = node.child;
                String instruction;
                try {
                    instruction = Instructions.check(trigger);
                } catch (ParseError e) {
                    throw fail(
                            stage.from.startLine,
                            "the ONBUILD trigger from stage "
                                    + stage.base.displayName()
                                    + " (line "
                                    + node.startLine
                                    + ") fails: "
                                    + fail(trigger.startLine, e.getMessage()).getMessage());
                }
                if (instruction.equals("copy")) {
                    copyFrom(stage, trigger, node, empty, graph, true);
                } else if (instruction.equals("run")) {
                    mounts(stage, trigger, node, graph, true);
                }
            }
        }
        // dispatch: what BuildKit checks while it converts each instruction.
        for (Stage stage : stages) {
            try {
                DispatchChecks.check(stage, escape);
            } catch (ParseError e) {
                throw fail(e.line(), e.getMessage());
            }
        }
        refs.sort(
                Comparator.comparingInt((ImageRef r) -> r.kind() == ImageRef.Kind.SYNTAX ? 0 : 1)
                        .thenComparingInt(ImageRef::line)
                        .thenComparingInt(ImageRef::column));
        List<ImageRef> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(refs));
        refs.clear();
        refs.addAll(distinct);
    }

    private void automaticArgs(String targetStage) {
        Platform p = target;
        String variant = p.variant() == null ? "" : p.variant();
        Map<String, String> defaults =
                Map.ofEntries(
                        Map.entry("BUILDPLATFORM", p.toString()),
                        Map.entry("BUILDOS", p.os()),
                        Map.entry("BUILDOSVERSION", ""),
                        Map.entry("BUILDARCH", p.architecture()),
                        Map.entry("BUILDVARIANT", variant),
                        Map.entry("TARGETPLATFORM", p.toString()),
                        Map.entry("TARGETOS", p.os()),
                        Map.entry("TARGETOSVERSION", ""),
                        Map.entry("TARGETARCH", p.architecture()),
                        Map.entry("TARGETVARIANT", variant),
                        Map.entry("TARGETSTAGE", targetStage));
        defaults.forEach((name, value) -> env.put(name, buildArgs.getOrDefault(name, value)));
    }

    // ---------------------------------------------------------------- directives

    /**
     * The frontend the syntax directive names: an image the build pulls, or a frontend imagegate
     * cannot follow.
     */
    private void syntax(String text) {
        Optional<DirectiveParser.Syntax> detected = DirectiveParser.detectSyntax(text);
        if (detected.isEmpty()) {
            return;
        }
        DirectiveParser.Syntax found = detected.get();
        String written = found.value();
        switch (found.form()) {
            case JSON ->
                    throw fail(
                            found.line(),
                            "the file names the frontend image "
                                    + written
                                    + " in a JSON {\"syntax\": …}"
                                    + " document: it is not a Dockerfile BuildKit's own frontend reads, and imagegate cannot tell which images"
                                    + " that frontend pulls");
            case SLASHES ->
                    throw fail(
                            found.line(),
                            "the file names the frontend image "
                                    + written
                                    + " in a \"// syntax=\" directive: it is"
                                    + " not a Dockerfile BuildKit's own frontend reads, and imagegate cannot tell which images that frontend pulls");
            case HASH -> {
                int lineStart = text.lastIndexOf('\n', found.valueStart() - 1) + 1;
                int column = found.valueStart() - lineStart + 1;
                refs.add(
                        resolve(
                                written,
                                written,
                                found.line(),
                                column,
                                found.line(),
                                column + written.length(),
                                ImageRef.Kind.SYNTAX,
                                false));
            }
        }
    }

    /**
     * The check directive's options (convert.go newRuleLinter): a malformed one fails the build.
     */
    private void checkDirective(String text) {
        DirectiveParser.Directive found = DirectiveParser.parseDirective(text, "check");
        if (found == null) {
            return;
        }
        try {
            LintOptions.check(DirectiveParser.firstWord(text, found));
        } catch (ParseError e) {
            throw fail(found.line(), "failed to parse check options: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- ARG and FROM

    /** buildMetaArgs for one ARG instruction before the first FROM. */
    private void globalArg(BuildKitParser.Node node, ShellLex lex) {
        for (BuildKitParser.Arg word : node.args) {
            String text = word.value();
            int eq = text.indexOf('=');
            String name = eq < 0 ? text : text.substring(0, eq);
            argDefaults.remove(name);
            if (buildArgs.containsKey(name)) {
                env.put(name, buildArgs.get(name));
                unset.remove(name);
                tainted.remove(name);
                continue;
            }
            if (eq < 0) {
                if (!env.containsKey(name)) {
                    unset.add(name); // declared without a value: a build arg may give it one
                }
                continue;
            }
            String raw = text.substring(eq + 1);
            ShellLex.Result result = expand(lex, raw, node.startLine);
            boolean taint = dependsOnUnset(lex, result);
            env.put(name, result.result());
            unset.remove(name);
            if (taint) {
                tainted.add(name);
            } else {
                tainted.remove(name);
            }
            // FROM $NAME rewrites this default when it is written literally on one line.
            if (word.raw() && !taint) {
                int valueStart = word.start() + eq + 1;
                int valueEnd = word.end();
                String written = node.logical.text.substring(valueStart, valueEnd);
                if (written.length() >= 2
                        && (written.charAt(0) == '"' || written.charAt(0) == '\'')
                        && written.charAt(written.length() - 1) == written.charAt(0)) {
                    valueStart++;
                    valueEnd--;
                    written = written.substring(1, written.length() - 1);
                }
                if (valueEnd > valueStart
                        && written.equals(result.result())
                        && node.logical.line(valueStart) == node.logical.line(valueEnd - 1)) {
                    argDefaults.put(
                            name,
                            new ImageRef.ArgDefault(
                                    name,
                                    node.logical.line(valueStart),
                                    node.logical.column(valueStart),
                                    node.logical.column(valueEnd - 1) + 1,
                                    written));
                }
            }
        }
    }

    private ShellLex.Result expand(ShellLex lex, String word, int line) {
        try {
            return lex.process(word, env::get);
        } catch (ShellLex.ShellException e) {
            throw fail(line, "failed to process \"" + word + "\": " + e.getMessage());
        }
    }

    private boolean dependsOnUnset(ShellLex lex, ShellLex.Result result) {
        if (!lex.emptied().isEmpty()) {
            return true; // an ARG without a value: never guessed as empty
        }
        for (String name : result.matched()) {
            if (tainted.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private void from(Stage stage, ShellLex lex, StageGraph graph) {
        BuildKitParser.Node node = stage.from;
        BuildKitParser.Arg base = node.args.get(0);
        ShellLex.Result result = expand(lex, base.value(), node.startLine);
        boolean taint = dependsOnUnset(lex, result);
        Set<String> missingSet = new java.util.TreeSet<>();
        missingSet.addAll(lex.emptied());
        result.matched().stream().filter(tainted::contains).forEach(missingSet::add);
        List<String> missing = List.copyOf(missingSet);
        String value = result.result();
        for (BuildKitParser.Flag flag : node.flags) {
            if (flag.value().startsWith("--platform=")) {
                String raw = flag.value().substring("--platform=".length());
                ShellLex.Result p = expand(lex, raw, node.startLine);
                if (p.result().isEmpty()) {
                    throw fail(node.startLine, "empty platform value from expression " + raw);
                }
                String problem = PlatformSpecifier.check(p.result());
                if (problem != null) {
                    throw fail(node.startLine, "failed to parse platform " + raw + ": " + problem);
                }
            }
        }
        if (value.isEmpty() && !taint) {
            throw fail(node.startLine, "base name (" + base.value() + ") should not be blank");
        }
        if (!taint && graph.named(value) != null) {
            stage.base = graph.named(value);
            return; // an earlier stage (names match exactly: they are lower case, so FROM Builder
            // is an image)
        }
        if (!taint && value.equals("scratch")) {
            return;
        }
        ImageRef ref = at(node, base, value, taint, missing, ImageRef.Kind.BASE);
        Matcher whole = WHOLE_ARG.matcher(ref.written());
        if (ref.resolved() && whole.matches() && argDefaults.containsKey(whole.group(1))) {
            ref =
                    new ImageRef(
                            ref.file(),
                            ref.line(),
                            ref.column(),
                            ref.endLine(),
                            ref.endColumn(),
                            ref.written(),
                            ref.reference(),
                            ref.kind(),
                            ref.error(),
                            Optional.of(argDefaults.get(whole.group(1))));
        }
        refs.add(ref);
    }

    // ---------------------------------------------------------------- COPY --from, RUN --mount,
    // ONBUILD

    private void copyFrom(
            Stage stage,
            BuildKitParser.Node node,
            BuildKitParser.Node at,
            ShellLex empty,
            StageGraph graph,
            boolean trigger) {
        BuildKitParser.Flag flag = null;
        for (BuildKitParser.Flag f : node.flags) {
            if (f.value().startsWith("--from=")) {
                flag = f;
            }
        }
        if (flag == null) {
            return;
        }
        String from = flag.value().substring("--from=".length());
        if (from.isEmpty()) {
            return;
        }
        String processed;
        try {
            processed = empty.process(from, name -> null).result();
        } catch (ShellLex.ShellException e) {
            throw fail(at.startLine, "failed to process \"" + from + "\": " + e.getMessage());
        }
        if (!processed.equals(from)) {
            throw fail(
                    at.startLine,
                    "variable expansion is not supported for --from, define a new stage with FROM using ARG from"
                            + " global scope as a workaround");
        }
        Long index = GoText.atoi(from);
        State source;
        try {
            source = index != null ? graph.byIndex(index) : graph.byName(from);
            graph.source(
                    stage,
                    source,
                    trigger,
                    "cannot copy from stage \""
                            + from
                            + "\", it needs to be defined before current stage \""
                            + stage.displayName()
                            + "\"");
        } catch (ParseError e) {
            throw fail(at.startLine, e.getMessage());
        }
        if (source.image() != null && !source.image().equals("scratch")) {
            refs.add(
                    at(
                            node,
                            flagSpan(node, flag, "--from=".length(), from),
                            source.image(),
                            false,
                            List.of(),
                            ImageRef.Kind.COPY_FROM));
        }
    }

    private void mounts(
            Stage stage,
            BuildKitParser.Node node,
            BuildKitParser.Node at,
            StageGraph graph,
            boolean trigger) {
        for (BuildKitParser.Flag flag : node.flags) {
            if (!flag.value().startsWith(RunMount.FLAG)) {
                continue;
            }
            String value = flag.value().substring(RunMount.FLAG.length());
            String from = null;
            int fromOffset = -1;
            try {
                Optional<RunMount.From> found = RunMount.from(RunMount.parse(value));
                from = found.map(RunMount.From::value).orElse(null);
                fromOffset = found.map(RunMount.From::offsetInFlag).orElse(-1);
            } catch (ParseError e) {
                throw fail(at.startLine, e.getMessage());
            }
            String name = from == null || from.isEmpty() ? "scratch" : from;
            State source = graph.byName(name);
            try {
                graph.source(
                        stage,
                        source,
                        trigger,
                        "cannot mount from stage \""
                                + name
                                + "\", stage needs to be defined before current command");
            } catch (ParseError e) {
                throw fail(at.startLine, e.getMessage());
            }
            if (source.image() != null && !source.image().equals("scratch")) {
                refs.add(
                        at(
                                node,
                                flagSpan(node, flag, fromOffset, name),
                                name,
                                false,
                                List.of(),
                                ImageRef.Kind.MOUNT_FROM));
            }
        }
    }

    /** ONBUILD COPY --from and ONBUILD RUN --mount from=: images downstream builds pull. */
    private void onbuild(BuildKitParser.Node node, StageGraph graph) {
        BuildKitParser.Node trigger = node.child;
        String instruction = GoText.toLower(trigger.value);
        for (BuildKitParser.Flag flag : trigger.flags) {
            String value = flag.value();
            String from = null;
            int offset = -1;
            ImageRef.Kind kind;
            if (instruction.equals("copy") && value.startsWith("--from=")) {
                from = value.substring("--from=".length());
                offset = "--from=".length();
                kind = ImageRef.Kind.COPY_FROM;
            } else if (instruction.equals("run") && value.startsWith(RunMount.FLAG)) {
                kind = ImageRef.Kind.MOUNT_FROM;
                Optional<RunMount.From> found;
                try {
                    found = RunMount.from(RunMount.fields(value.substring(RunMount.FLAG.length())));
                } catch (ParseError e) {
                    continue; // a malformed mount: downstream builds refuse the trigger itself
                }
                from = found.map(RunMount.From::value).orElse(null);
                offset = found.map(RunMount.From::offsetInFlag).orElse(-1);
            } else {
                continue;
            }
            if (from == null
                    || from.isEmpty()
                    || from.equals("scratch")
                    || GoText.atoi(from) != null
                    || graph.named(GoText.toLower(from)) != null) {
                continue;
            }
            BuildKitParser.Arg span = flagSpan(trigger, flag, offset, from);
            if (from.contains("$")) {
                refs.add(
                        new ImageRef(
                                file,
                                trigger.logical.line(span.start()),
                                trigger.logical.column(span.start()),
                                trigger.logical.line(span.end() - 1),
                                trigger.logical.column(span.end() - 1) + 1,
                                span.value(),
                                Optional.empty(),
                                kind,
                                Optional.of(
                                        Message.of(
                                                "dockerfile.from-variable",
                                                "\"{0}\": BuildKit does not expand variables in {1}; name a stage"
                                                        + " or an image",
                                                from,
                                                kind == ImageRef.Kind.COPY_FROM
                                                        ? "--from"
                                                        : "a mount's from=")),
                                Optional.empty()));
                continue;
            }
            refs.add(at(trigger, span, from, false, List.of(), kind));
        }
    }

    /**
     * The span of a value inside a flag word: the value's own characters when the flag is written
     * plainly (no quotes or escapes), else the whole flag word.
     */
    private static BuildKitParser.Arg flagSpan(
            BuildKitParser.Node node, BuildKitParser.Flag flag, int offsetInFlag, String value) {
        String raw = node.logical.text.substring(flag.start(), flag.end());
        if (offsetInFlag >= 0 && raw.equals(flag.value()) && raw.startsWith(value, offsetInFlag)) {
            return new BuildKitParser.Arg(
                    value,
                    flag.start() + offsetInFlag,
                    flag.start() + offsetInFlag + value.length());
        }
        if (offsetInFlag >= 0
                && offsetInFlag <= flag.value().length()
                && raw.startsWith(flag.value().substring(0, offsetInFlag))) {
            String rest = raw.substring(offsetInFlag);
            if (rest.length() == value.length() + 2
                    && (rest.charAt(0) == '"' || rest.charAt(0) == '\'')
                    && rest.charAt(rest.length() - 1) == rest.charAt(0)
                    && rest.startsWith(value, 1)) {
                int start =
                        flag.start()
                                + offsetInFlag
                                + 1; // --from="image": the span is the image inside the quotes
                return new BuildKitParser.Arg(value, start, start + value.length());
            }
        }
        return new BuildKitParser.Arg(raw, flag.start(), flag.end());
    }

    // ---------------------------------------------------------------- references

    private ImageRef at(
            BuildKitParser.Node node,
            BuildKitParser.Arg span,
            String value,
            boolean taint,
            List<String> missing,
            ImageRef.Kind kind) {
        BuildKitParser.Logical l = node.logical;
        int first = span.start();
        int last = Math.max(span.start(), span.end() - 1);
        String written =
                span.start() >= 0 ? l.text.substring(span.start(), span.end()) : span.value();
        if (span.start() >= 0
                && written.length() > 2
                && (written.charAt(0) == '"' || written.charAt(0) == '\'')
                && written.indexOf(written.charAt(0), 1) == written.length() - 1) {
            first++; // "alpine:3.20": the span is the reference inside the quotes
            last--;
            written = written.substring(1, written.length() - 1);
        }
        int line = l.line(first);
        int column = l.column(first);
        int endLine = l.line(last);
        int endColumn = l.column(last) + 1;
        if (taint) {
            return new ImageRef(
                    file,
                    line,
                    column,
                    endLine,
                    endColumn,
                    written,
                    Optional.empty(),
                    kind,
                    Optional.of(
                            Message.of(
                                    ARG_UNSET,
                                    "\"{0}\" uses {1}, which has no value: declare it with ARG before the first FROM with"
                                            + " a default, or give it as a build arg ({2})",
                                    written,
                                    missing.isEmpty() ? "an ARG" : String.join(", ", missing),
                                    Field.BUILD_ARG)),
                    Optional.empty());
        }
        return resolve(written, value, line, column, endLine, endColumn, kind, false);
    }

    private ImageRef resolve(
            String written,
            String value,
            int line,
            int column,
            int endLine,
            int endColumn,
            ImageRef.Kind kind,
            boolean unused) {
        try {
            return new ImageRef(
                    file,
                    line,
                    column,
                    endLine,
                    endColumn,
                    written,
                    Optional.of(ImageReference.parse(value)),
                    kind,
                    Optional.empty(),
                    Optional.empty());
        } catch (InvalidReferenceException e) {
            return new ImageRef(
                    file,
                    line,
                    column,
                    endLine,
                    endColumn,
                    written,
                    Optional.empty(),
                    kind,
                    Optional.of(e.message()),
                    Optional.empty());
        }
    }
}
