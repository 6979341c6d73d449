package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/dockerfile2llb/convert.go (dispatch,
 * dispatchWorkdir) and convert_runmount.go (dispatchRunMounts): the refusals BuildKit makes only
 * while it converts a stage's instructions, its base's ONBUILD triggers first: words that do not
 * expand, and mount targets that resolve to {@code /} from the working directory.
 */
final class DispatchChecks {
    private DispatchChecks() {}

    /**
     * Checks one stage (its base checked before it, for the working directory it leaves); sets its
     * workdir.
     */
    static void check(StageGraph.Stage stage, char escape) throws ParseError {
        List<BuildKitParser.Node> dispatched = new ArrayList<>();
        if (stage.triggers) {
            for (BuildKitParser.Node node : stage.base.onbuilds()) {
                dispatched.add(node.child);
            }
        }
        dispatched.addAll(stage.commands);
        String workdir = stage.base != null ? stage.base.workdir : "/";
        ShellLex words = new ShellLex(escape);
        for (BuildKitParser.Node node : dispatched) {
            String instruction = GoText.toLower(node.value);
            int line = node.startLine;
            switch (instruction) {
                case "run" -> {
                    for (BuildKitParser.Flag flag : node.flags) {
                        if (flag.value().startsWith(RunMount.FLAG)) {
                            try {
                                RunMount.check(
                                        flag.value().substring(RunMount.FLAG.length()), workdir);
                            } catch (ParseError e) {
                                throw new ParseError(line, e.getMessage());
                            }
                        }
                    }
                }
                case "workdir" -> {
                    String value = node.args.isEmpty() ? "" : node.args.get(0).value();
                    String dir = value.contains("$") ? null : expandWord(words, value, line);
                    workdir =
                            workdir == null || dir == null
                                    ? null
                                    : dir.startsWith("/")
                                            ? GoText.cleanPath(dir)
                                            : GoText.cleanPath(workdir + "/" + dir);
                }
                case "copy",
                        "add",
                        "env",
                        "label",
                        "user",
                        "expose",
                        "volume",
                        "stopsignal",
                        "arg" -> {
                    if (node.json || !node.heredocs.isEmpty()) {
                        break;
                    }
                    for (BuildKitParser.Arg arg : node.args) {
                        expandWord(words, arg.value(), line);
                    }
                }
                default -> {}
            }
        }
        stage.workdir = workdir;
    }

    /**
     * A word as BuildKit expands it while dispatching: only whether it can (any variable has a
     * value here).
     */
    private static String expandWord(ShellLex lex, String word, int line) throws ParseError {
        try {
            return lex.process(word, name -> "x").result();
        } catch (ShellLex.ShellException e) {
            throw new ParseError(line, "failed to process \"" + word + "\": " + e.getMessage());
        }
    }
}
