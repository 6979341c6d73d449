package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random Dockerfiles for differential tests against BuildKit: parser directives (syntax in every
 * form BuildKit detects, escape, check), a #! line, a BOM, global ARGs with every expansion form,
 * stages with names and platforms, FROM of earlier and later stages, COPY --from and RUN
 * --mount=from= with names, indexes, images and variables, heredocs (and quoted look-alikes),
 * ONBUILD, continuations with odd trailing white space, comments and blank lines inside them, CRLF
 * and lone CR. Mostly valid files with a measured dose of invalid ones. Same seed, same files.
 */
final class DockerfileGenerator {
    /** One generated case. */
    record Case(String name, String text, Map<String, String> args) {}

    private static final String[] IMAGES = {
        "alpine",
        "alpine:3.20",
        "busybox:1.36",
        "docker.io/library/nginx:1.27",
        "ghcr.io/org/tools:2",
        "quay.io/prometheus/node-exporter:v1.8.0",
        "localhost:5000/team/app:1",
        "registry.example.com:5000/base/img",
        "gcr.io/distroless/static@sha256:" + "a".repeat(64),
        "golang:1.23@sha256:" + "b".repeat(64),
        "index.docker.io/library/redis:7",
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "0",
        "evil",
        "Alpine",
        "alpine:",
        "scratch"
    };
    private static final String[] ARG_NAMES = {
        "BASE",
        "TAG",
        "V",
        "REG",
        "EMPTY",
        "TARGETARCH",
        "TARGETOS",
        "TARGETPLATFORM",
        "BUILDPLATFORM",
        "TARGETSTAGE",
        "TARGETVARIANT"
    };
    private static final String[] STAGE_NAMES = {
        "build", "builder", "base-amd64", "tools", "final", "x.y", "a_b", "deps"
    };

    private final Random random;
    private final List<String> argNames = new ArrayList<>();
    private final List<String> stageNames = new ArrayList<>();
    private char escape = '\\';
    private boolean crlf;

    private DockerfileGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} cases from {@code seed}. */
    static List<Case> generate(long seed, int count) {
        List<Case> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new DockerfileGenerator(seed * 1_000_003L + i).one("gen-" + seed + "-" + i));
        }
        return out;
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private Case one(String name) {
        StringBuilder out = new StringBuilder();
        crlf = chance(0.1);
        Map<String, String> args = new LinkedHashMap<>();
        if (chance(0.05)) {
            out.append('\uFEFF');
        }
        if (chance(0.08)) {
            line(out, "#!/usr/bin/env -S docker build -f");
        }
        directives(out);
        int globals = random.nextInt(4);
        for (int i = 0; i < globals; i++) {
            globalArg(out);
        }
        if (!argNames.isEmpty() && chance(0.3)) {
            args.put(
                    pick(argNames),
                    pick(new String[] {"busybox", "3.19", "", "arm64", "ghcr.io/x/y:1", "${X}"}));
        }
        if (chance(0.03)) {
            line(
                    out,
                    pick(
                            new String[] {
                                "RUN true", "COPY a b", "ENV A=b"
                            })); // instructions before FROM: refused
        }
        int stages = 1 + random.nextInt(4);
        for (int s = 0; s < stages; s++) {
            stage(out, s);
        }
        if (chance(0.02)) {
            line(out, "FOO bar"); // an unknown instruction
        }
        String text = out.toString();
        if (chance(0.02)) {
            text = pick(new String[] {"", "# only a comment\n", "\n\n", "ARG A=1\n"});
        } else if (chance(0.02)) {
            // The other forms of the syntax directive BuildKit detects: a frontend with a format of
            // its own.
            text =
                    chance(0.5)
                            ? "// syntax=ghcr.io/acme/frontend:1\n" + text
                            : "{\"syntax\": \"ghcr.io/acme/frontend:1\", \"stages\": 2}\n";
        }
        return new Case(name, text, args);
    }

    private void line(StringBuilder out, String text) {
        out.append(text);
        if (crlf) {
            out.append('\r');
        }
        out.append('\n');
    }

    private void directives(StringBuilder out) {
        if (chance(0.3)) {
            String ref =
                    pick(
                            new String[] {
                                "docker/dockerfile:1",
                                "docker/dockerfile:1.7@sha256:" + "c".repeat(64),
                                "ghcr.io/acme/frontend:2",
                                "Docker/dockerfile:1"
                            });
            String form =
                    pick(
                            new String[] {
                                "# syntax=%s",
                                "#syntax = %s",
                                "# SYNTAX=%s",
                                "# syntax=%s extra words",
                                "#   syntax=%s\t",
                                "  # syntax=%s"
                            });
            line(out, form.formatted(ref));
        }
        if (chance(0.15)) {
            escape = '`';
            line(out, pick(new String[] {"# escape=`", "#escape = `"}));
        } else if (chance(0.05)) {
            line(out, "# escape=\\");
        }
        if (chance(0.1)) {
            line(
                    out,
                    pick(
                            new String[] {
                                "# check=skip=all",
                                "# check=skip=JSONArgsRecommended;error=false",
                                "# check=bogus"
                            }));
        }
        if (chance(0.04)) {
            line(
                    out,
                    "# syntax=docker/dockerfile:1.6"); // a second syntax directive: refused, unless
            // the first ended them
        }
        if (chance(0.2)) {
            line(out, pick(new String[] {"", "# a comment", "#"}));
        }
    }

    private String argName() {
        return chance(0.8) && !argNames.isEmpty() ? pick(argNames) : pick(ARG_NAMES);
    }

    private String expansion() {
        String n = argName();
        return switch (random.nextInt(16)) {
            case 0, 1, 2 -> "$" + n;
            case 3, 4 -> "${" + n + "}";
            case 5 -> "${" + n + ":-alpine}";
            case 6 -> "${" + n + "-busybox}";
            case 7 -> "${" + n + ":+ghcr.io/org/tools}";
            case 8 -> "${" + n + "+x}";
            case 9 -> "${" + n + "#*/}";
            case 10 -> "${" + n + "##*/}";
            case 11 -> "${" + n + "%:*}";
            case 12 -> "${" + n + "%%.*}";
            case 13 -> "${" + n + "/alpine/busybox}";
            case 14 -> "${" + n + "//a/e}";
            default -> "\\$" + n;
        };
    }

    private void globalArg(StringBuilder out) {
        String n = pick(ARG_NAMES);
        argNames.add(n);
        String value =
                switch (random.nextInt(9)) {
                    case 0 -> "";
                    case 1 -> "=" + pick(IMAGES);
                    case 2 -> "=\"" + pick(IMAGES) + "\"";
                    case 3 -> "='" + pick(IMAGES) + "'";
                    case 4 -> "=" + expansion();
                    case 5 ->
                            "=" + pick(new String[] {"alpine", "ghcr.io/org"}) + ":" + expansion();
                    case 6 -> "=";
                    case 7 -> "=3.20";
                    default -> "=" + pick(IMAGES);
                };
        String text = "ARG " + n + value;
        if (chance(0.15)) {
            String second = pick(ARG_NAMES);
            argNames.add(second);
            text += " " + second + "=" + pick(IMAGES);
        }
        line(out, maybeContinued(text));
    }

    private String imageExpression(int stage) {
        int kind = random.nextInt(10);
        if (kind < 4) {
            return pick(IMAGES);
        }
        if (kind < 6 && !argNames.isEmpty()) {
            return chance(0.5)
                    ? expansion()
                    : pick(new String[] {"alpine:", "busybox:", "ghcr.io/org/"}) + expansion();
        }
        if (kind < 8 && !stageNames.isEmpty()) {
            String s = pick(stageNames);
            return chance(0.15) ? s.toUpperCase(java.util.Locale.ROOT) : s;
        }
        if (kind == 8) {
            return pick(STAGE_NAMES); // maybe a stage defined later: then it is an image
        }
        return "base-$TARGETARCH";
    }

    private String instruction(String upper) {
        return switch (random.nextInt(6)) {
            case 0 -> upper.toLowerCase(java.util.Locale.ROOT);
            case 1 -> upper.charAt(0) + upper.substring(1).toLowerCase(java.util.Locale.ROOT);
            default -> upper;
        };
    }

    private void stage(StringBuilder out, int index) {
        StringBuilder from = new StringBuilder(instruction("FROM")).append(' ');
        if (chance(0.2)) {
            from.append("--platform=")
                    .append(
                            pick(
                                    new String[] {
                                        "$BUILDPLATFORM",
                                        "linux/arm64",
                                        "linux/amd64",
                                        "${TARGETPLATFORM}",
                                        "linux/arm/v7",
                                        "bogus/x/y/z",
                                        "$NOPE"
                                    }))
                    .append(' ');
        }
        String image = imageExpression(index);
        from.append(chance(0.1) ? "\"" + image + "\"" : image);
        String name = null;
        if (chance(0.6)) {
            name = pick(STAGE_NAMES);
            if (chance(0.05)) {
                name = "1bad";
            }
            from.append(' ')
                    .append(pick(new String[] {"AS", "as", "As"}))
                    .append(' ')
                    .append(chance(0.1) ? name.toUpperCase(java.util.Locale.ROOT) : name);
        }
        line(out, maybeContinued(from.toString()));
        int body = random.nextInt(5);
        for (int i = 0; i < body; i++) {
            command(out, index);
        }
        if (name != null) {
            stageNames.add(name);
        }
    }

    private String source(int stage) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return pick(IMAGES);
        }
        if (kind < 5 && !stageNames.isEmpty()) {
            return pick(stageNames);
        }
        if (kind < 7) {
            return String.valueOf(random.nextInt(stage + 2));
        }
        if (kind == 7) {
            return pick(STAGE_NAMES);
        }
        if (kind == 8) {
            return "scratch";
        }
        return "$" + argName();
    }

    private void command(StringBuilder out, int stage) {
        switch (random.nextInt(12)) {
            case 0, 1 ->
                    line(
                            out,
                            maybeContinued(
                                    instruction("COPY")
                                            + (chance(0.2) ? " --chown=1:1" : "")
                                            + " --from="
                                            + source(stage)
                                            + " /a /b"));
            case 2 ->
                    line(
                            out,
                            maybeContinued(
                                    instruction("RUN")
                                            + " --mount="
                                            + pick(
                                                    new String[] {
                                                        "type=bind,", "", "type=cache,id=x,"
                                                    })
                                            + (chance(0.8) ? "from=" + source(stage) + "," : "")
                                            + "target=/m"
                                            + pick(
                                                    new String[] {
                                                        "",
                                                        "",
                                                        ",rw",
                                                        ",readwrite",
                                                        ",rw=true",
                                                        ",ro"
                                                    })
                                            + " true"));
            case 3 -> {
                String tag = pick(new String[] {"EOF", "E-OF", "\"END\"", "'X'", "-EOF"});
                String bare = tag.replace("\"", "").replace("'", "").replaceFirst("^-", "");
                line(out, instruction("RUN") + " <<" + tag + (chance(0.3) ? " && echo done" : ""));
                line(out, "FROM evil-in-heredoc");
                line(out, (tag.startsWith("-") ? "\t" : "") + bare);
            }
            case 4 -> {
                line(out, instruction("RUN") + " echo \"<<CMD\"");
                line(out, instruction("COPY") + " --from=" + pick(IMAGES) + " /x /y");
            }
            // tools/buildkit-refs builds each named stage as the target to fire inherited ONBUILD
            // triggers, which changes
            // TARGETSTAGE when the file declares it: no ONBUILD in such files.
            case 5 ->
                    line(
                            out,
                            argNames.contains("TARGETSTAGE")
                                    ? "RUN true"
                                    : instruction("ONBUILD")
                                            + " "
                                            + pick(
                                                    new String[] {
                                                        "COPY --from=" + pick(IMAGES) + " /a /b",
                                                        "RUN --mount=from="
                                                                + pick(IMAGES)
                                                                + " true",
                                                        "RUN echo hi"
                                                    }));
            case 6 -> line(out, "ARG " + argName() + (chance(0.5) ? "=" + pick(IMAGES) : ""));
            case 7 ->
                    line(
                            out,
                            pick(
                                    new String[] {
                                        "# comment",
                                        "",
                                        "   ",
                                        "# FROM evil-comment",
                                        "# lone\rFROM evil-cr"
                                    }));
            case 8 -> line(out, instruction("ENV") + " A=b");
            case 9 -> line(out, instruction("WORKDIR") + " /app");
            case 10 -> line(out, instruction("COPY") + " <<EOF /etc/motd");
            default ->
                    line(
                            out,
                            instruction("RUN")
                                    + " echo "
                                    + pick(new String[] {"hi", "'it''s'", "\"a b\"", "$HOME"}));
        }
        if (random.nextInt(12) == 10
                && out.toString().endsWith("<<EOF /etc/motd" + (crlf ? "\r\n" : "\n"))) {
            line(out, "FROM evil-in-copy-heredoc");
            line(out, "EOF");
        }
    }

    /**
     * Splits an instruction across lines at spaces, with odd white space and comments in between.
     */
    private String maybeContinued(String text) {
        if (!chance(0.25)) {
            if (chance(0.05)) {
                return text
                        + pick(
                                new String[] {
                                    " \\\u000B", " \\\f", " \\\u2003"
                                }); // not a continuation for BuildKit
            }
            return text;
        }
        String[] words = text.split(" ");
        StringBuilder out = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            if (chance(0.4)) {
                out.append(' ')
                        .append(escape)
                        .append(pick(new String[] {"", " ", "\t", "  \t"}))
                        .append(crlf ? "\r\n" : "\n");
                if (chance(0.2)) {
                    out.append(pick(new String[] {"# inside\n", "\n", "   \n", "  # indented\n"}));
                }
                out.append(pick(new String[] {"", "  ", "\t"}));
            } else {
                out.append(' ');
            }
            out.append(words[i]);
        }
        if (chance(0.05)) {
            out.append(' ')
                    .append(escape); // a continuation at the very end of the file, or into the next
            // line
        }
        return out.toString();
    }
}
