package io.imagegate.dockerfile;

import static io.imagegate.dockerfile.BFlags.Type.BOOL;
import static io.imagegate.dockerfile.BFlags.Type.STRING;
import static io.imagegate.dockerfile.BFlags.Type.STRINGS;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/instructions/parse.go (ParseInstruction and its
 * parse functions): the checks that turn a parsed line into an instruction, refusing what BuildKit
 * refuses with its message. What the instructions then mean for the images a build pulls is {@link
 * DockerfileReader}'s.
 */
final class Instructions {
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");

    /** The flags each instruction defines (the others define none). */
    private static final Map<String, Map<String, BFlags.Type>> FLAGS =
            Map.ofEntries(
                    Map.entry("from", Map.of("platform", STRING)),
                    Map.entry(
                            "copy",
                            Map.of(
                                    "chown", STRING, "from", STRING, "chmod", STRING, "link", BOOL,
                                    "exclude", STRINGS, "parents", BOOL)),
                    Map.entry(
                            "add",
                            Map.of(
                                    "chown",
                                    STRING,
                                    "chmod",
                                    STRING,
                                    "link",
                                    BOOL,
                                    "keep-git-dir",
                                    BOOL,
                                    "checksum",
                                    STRING,
                                    "unpack",
                                    BOOL,
                                    "exclude",
                                    STRINGS)),
                    Map.entry(
                            "run",
                            Map.of(
                                    "mount",
                                    STRINGS,
                                    "network",
                                    STRING,
                                    "security",
                                    STRING,
                                    "device",
                                    STRINGS)),
                    Map.entry(
                            "healthcheck",
                            Map.of(
                                    "interval",
                                    STRING,
                                    "timeout",
                                    STRING,
                                    "start-period",
                                    STRING,
                                    "start-interval",
                                    STRING,
                                    "retries",
                                    STRING)));

    /**
     * The checks ParseInstruction makes (those of its parse functions and of BFlags.Parse); the
     * lower-case instruction.
     */
    static String check(BuildKitParser.Node node) throws ParseError {
        String instruction = GoText.toLower(node.value);
        List<BuildKitParser.Arg> args = node.nodeArgs();
        switch (instruction) {
            case "env", "label" -> {
                String name = instruction.toUpperCase(Locale.ROOT);
                if (args.isEmpty()) {
                    throw new ParseError(name + " requires at least one argument");
                }
                for (BuildKitParser.Arg a : args) {
                    if (a.value().startsWith("=")) {
                        throw new ParseError(name + " names can not be blank");
                    }
                }
                BFlags.parse(node.flags, Map.of());
            }
            case "maintainer", "workdir", "user", "stopsignal" -> {
                if (args.size() != 1) {
                    throw new ParseError(
                            instruction.toUpperCase(Locale.ROOT)
                                    + " requires exactly one argument");
                }
                BFlags.parse(node.flags, Map.of());
            }
            case "add", "copy" -> {
                String name = instruction.toUpperCase(Locale.ROOT);
                if (args.size() < 2) {
                    throw new ParseError(
                            name
                                    + " requires at least two arguments, but only one was provided."
                                    + " Destination could not be determined");
                }
                BFlags.parse(node.flags, FLAGS.get(instruction));
                if (BuildKitParser.mustParseHeredoc(args.get(args.size() - 1).value()) != null) {
                    throw new ParseError(name + " cannot accept a heredoc as a destination");
                }
            }
            case "from" -> {
                if (args.size() == 3 && args.get(1).value().equalsIgnoreCase("as")) {
                    String stageName = GoText.toLower(args.get(2).value());
                    if (!STAGE_NAME.matcher(stageName).matches()) {
                        throw new ParseError(
                                "invalid name for build stage: \""
                                        + args.get(2).value()
                                        + "\", name can't start with a number or contain symbols");
                    }
                } else if (args.isEmpty()) {
                    throw new ParseError("FROM needs an image, e.g. FROM alpine:3.20");
                } else if (args.size() != 1) {
                    throw new ParseError(
                            "FROM requires either one or three arguments (an image, and optionally AS"
                                    + " and a stage name)");
                }
                BFlags.parse(node.flags, FLAGS.get("from"));
            }
            case "onbuild" -> {
                if (args.isEmpty()) {
                    throw new ParseError("ONBUILD requires at least one argument");
                }
                BFlags.parse(node.flags, Map.of());
                String trigger = GoText.toUpper(args.get(0).value().strip());
                if (trigger.equals("ONBUILD")) {
                    throw new ParseError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }
                if (trigger.equals("MAINTAINER") || trigger.equals("FROM")) {
                    throw new ParseError(trigger + " isn't allowed as an ONBUILD trigger");
                }
            }
            case "run" -> {
                Map<String, List<String>> used = BFlags.parse(node.flags, FLAGS.get("run"));
                for (String mount : used.getOrDefault("mount", List.of())) {
                    RunMount.parse(mount);
                }
                String network = last(used.get("network"), "default");
                if (!Set.of("default", "none", "host").contains(network)) {
                    throw new ParseError("invalid network mode \"" + network + "\"");
                }
                String security = last(used.get("security"), "sandbox");
                if (!Set.of("sandbox", "insecure").contains(security)) {
                    throw new ParseError("security \"" + security + "\" is not valid");
                }
            }
            case "cmd", "entrypoint" -> BFlags.parse(node.flags, Map.of());
            case "healthcheck" -> {
                if (args.isEmpty()) {
                    throw new ParseError("HEALTHCHECK requires at least one argument");
                }
                String type = GoText.toUpper(args.get(0).value());
                if (type.equals("NONE")) {
                    if (args.size() != 1) {
                        throw new ParseError("HEALTHCHECK NONE takes no arguments");
                    }
                } else {
                    BFlags.parse(node.flags, FLAGS.get("healthcheck"));
                    if (!type.equals("CMD")) {
                        throw new ParseError(
                                "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
                    }
                    if (args.size() < 2
                            || (!node.json
                                    && String.join(
                                                    " ",
                                                    args.subList(1, args.size()).stream()
                                                            .map(BuildKitParser.Arg::value)
                                                            .toList())
                                            .isEmpty()
                                    && args.size() < 2)) {
                        throw new ParseError("Missing command after HEALTHCHECK CMD");
                    }
                }
            }
            case "expose" -> {
                if (args.isEmpty()) {
                    throw new ParseError("EXPOSE requires at least one argument");
                }
                BFlags.parse(node.flags, Map.of());
            }
            case "volume" -> {
                if (args.isEmpty()) {
                    throw new ParseError("VOLUME requires at least one argument");
                }
                BFlags.parse(node.flags, Map.of());
                for (BuildKitParser.Arg a : args) {
                    if (a.value().isBlank()
                            && GoText.skipSpace(a.value(), 0, a.value().length())
                                    == a.value().length()) {
                        throw new ParseError("VOLUME specified can not be an empty string");
                    }
                }
            }
            case "arg" -> {
                if (args.isEmpty()) {
                    throw new ParseError("ARG requires at least one argument");
                }
                for (BuildKitParser.Arg a : args) {
                    if (a.value().startsWith("=")) {
                        throw new ParseError("ARG names can not be blank");
                    }
                }
            }
            case "shell" -> {
                BFlags.parse(node.flags, Map.of());
                if (args.isEmpty() || (node.json && args.isEmpty())) {
                    throw new ParseError("SHELL requires at least one argument");
                }
                if (!node.json) {
                    throw new ParseError("SHELL requires the arguments to be in JSON form");
                }
            }
            default -> throw new ParseError("unknown instruction: " + node.value);
        }
        return instruction;
    }

    private static String last(List<String> values, String otherwise) {
        return values == null || values.isEmpty() ? otherwise : values.get(values.size() - 1);
    }

    private Instructions() {}
}
