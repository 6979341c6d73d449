package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/instructions/commands_runmount.go (parseMount, over
 * github.com/tonistiigi/go-csvvalue's Fields) and the target check of
 * dockerfile2llb/convert_runmount.go (dispatchRunMounts): what a {@code RUN --mount=…} value is,
 * and which ones BuildKit refuses.
 */
final class RunMount {
    /** The flag word's prefix. */
    static final String FLAG = "--mount=";

    /**
     * A field of a --mount value, and its offset in the value when it was written unquoted (else
     * -1).
     */
    record Field(String text, int offset) {}

    /**
     * A mount's from= value, and its offset in the whole flag word when it was written unquoted
     * (else -1).
     */
    record From(String value, int offsetInFlag) {}

    private RunMount() {}

    /** The last from= field, as parseMount keeps it. */
    static Optional<From> from(List<Field> fields) {
        From from = null;
        for (Field f : fields) {
            int eq = f.text().indexOf('=');
            if (eq >= 0 && GoText.toLower(f.text().substring(0, eq)).equals("from")) {
                from =
                        new From(
                                f.text().substring(eq + 1),
                                f.offset() < 0 ? -1 : FLAG.length() + f.offset() + eq + 1);
            }
        }
        return Optional.ofNullable(from);
    }

    /**
     * The fields of a --mount value, with the one check parseMount makes at parse time (no expander
     * yet): from=.
     */
    static List<Field> parse(String value) throws ParseError {
        List<Field> fields = fields(value);
        for (Field f : fields) {
            String field = f.text();
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = GoText.toLower(field.substring(0, eq));
            String v = field.substring(eq + 1);
            if (key.equals("from")) {
                int dollar = v.indexOf('$');
                if (dollar != -1 && dollar != v.length() - 1) {
                    throw new ParseError(
                            "'from' doesn't support variable expansion, define alias stage instead");
                }
            }
        }
        return fields;
    }

    /**
     * go-csvvalue Fields with ',': each field with its offset in {@code line} when it was unquoted
     * (else -1).
     */
    static List<Field> fields(String line) throws ParseError {
        if (line.endsWith("\n")) {
            line =
                    line.endsWith("\r\n")
                            ? line.substring(0, line.length() - 2)
                            : line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new ParseError("failed to parse csv mounts: EOF");
        }
        List<Field> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            if (pos >= line.length() || line.charAt(pos) != '"') {
                int comma = line.indexOf(',', pos);
                String field = comma >= 0 ? line.substring(pos, comma) : line.substring(pos);
                if (field.indexOf('"') >= 0) {
                    throw new ParseError(
                            "failed to parse csv mounts: parse error on line 1, column "
                                    + (pos + field.indexOf('"') + 1)
                                    + ": bare \" in non-quoted-field");
                }
                out.add(new Field(field, pos));
                if (comma >= 0) {
                    pos = comma + 1;
                    continue;
                }
                break;
            }
            pos++;
            StringBuilder field = new StringBuilder();
            boolean fieldDone = false;
            while (!fieldDone) {
                int q = line.indexOf('"', pos);
                if (q < 0) {
                    throw new ParseError(
                            "failed to parse csv mounts: parse error on line 1, column "
                                    + (pos + 1)
                                    + ": extraneous or missing \" in quoted-field");
                }
                field.append(line, pos, q);
                pos = q + 1;
                if (pos < line.length() && line.charAt(pos) == '"') {
                    field.append('"');
                    pos++;
                } else if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                    out.add(new Field(field.toString(), -1));
                    fieldDone = true;
                } else if (pos >= line.length()) {
                    out.add(new Field(field.toString(), -1));
                    return out;
                } else {
                    throw new ParseError(
                            "failed to parse csv mounts: parse error on line 1, column "
                                    + pos
                                    + ": extraneous or missing \" in quoted-field");
                }
            }
        }
        return out;
    }

    private static final Set<String> TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");

    /**
     * parseMount with the values known (fields with variables are not judged), and
     * dispatchRunMounts' check of the target against the working directory ({@code workdir} null
     * when it depends on variables).
     */
    static void check(String value, String workdir) throws ParseError {
        String type = "bind";
        boolean typeKnown = true;
        String target = "";
        boolean targetKnown = true;
        boolean from = false;
        boolean sharing = false;
        boolean source = false;
        boolean id = false;
        boolean fileInfo = false;
        for (Field f : fields(value)) {
            String field = f.text();
            int eq = field.indexOf('=');
            String key = GoText.toLower(eq < 0 ? field : field.substring(0, eq));
            if (eq < 0) {
                switch (key) {
                    case "readonly", "ro", "readwrite", "rw" -> {}
                    case "required" -> {
                        if (typeKnown && !type.equals("secret") && !type.equals("ssh")) {
                            throw new ParseError(
                                    "unexpected key 'required' for mount type '" + type + "'");
                        }
                    }
                    default ->
                            throw new ParseError(
                                    "invalid field '" + field + "' must be a key=value pair");
                }
                continue;
            }
            String v = field.substring(eq + 1);
            boolean variable = v.contains("$");
            switch (key) {
                case "type" -> {
                    if (variable) {
                        typeKnown = false;
                    } else if (!TYPES.contains(GoText.toLower(v))) {
                        throw new ParseError("unsupported mount type \"" + v + "\"");
                    } else {
                        type = GoText.toLower(v);
                        typeKnown = true;
                    }
                }
                case "from" -> from = true;
                case "source", "src" -> source = !v.isEmpty() || variable;
                case "target", "dst", "destination" -> {
                    target = v;
                    targetKnown = !variable;
                }
                case "readonly", "ro", "readwrite", "rw" -> {
                    if (!variable && !LintOptions.GO_BOOLEANS.contains(v)) {
                        throw new ParseError("invalid value for " + key + ": " + v);
                    }
                }
                case "required" -> {
                    if (typeKnown && !type.equals("secret") && !type.equals("ssh")) {
                        throw new ParseError(
                                "unexpected key 'required' for mount type '" + type + "'");
                    }
                }
                case "size" -> {
                    if (typeKnown && !type.equals("tmpfs")) {
                        throw new ParseError("unexpected key 'size' for mount type '" + type + "'");
                    }
                }
                case "id" -> id = !v.isEmpty() || variable;
                case "sharing" -> {
                    if (!variable
                            && !Set.of("shared", "private", "locked").contains(GoText.toLower(v))) {
                        throw new ParseError("unsupported sharing value \"" + v + "\"");
                    }
                    sharing = true;
                }
                case "mode", "uid", "gid" -> {
                    if (!variable && !v.matches(key.equals("mode") ? "[0-7]+" : "[0-9]+")) {
                        throw new ParseError("invalid value " + v + " for " + key);
                    }
                    fileInfo = true;
                }
                case "env" -> {}
                default -> throw new ParseError("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (!typeKnown) {
            return;
        }
        if (fileInfo && !type.equals("secret") && !type.equals("ssh") && !type.equals("cache")) {
            throw new ParseError(
                    "mode, uid and gid are not allowed for \"" + type + "\" type mounts");
        }
        if (type.equals("secret")) {
            if (from) {
                throw new ParseError("secret mount should not have a from");
            }
            if (sharing) {
                throw new ParseError("secret mount should not define sharing");
            }
            if (!source && target.isEmpty() && targetKnown && !id) {
                throw new ParseError("invalid secret mount. one of source, target required");
            }
            if (source && id) {
                throw new ParseError("both source and id can't be set");
            }
        }
        if (sharing && !type.equals("cache")) {
            throw new ParseError("invalid cache sharing set for " + type + " mount");
        }
        if (type.equals("secret") || type.equals("ssh") || !targetKnown) {
            return;
        }
        String resolved =
                target.startsWith("/")
                        ? GoText.cleanPath(target)
                        : workdir == null ? null : GoText.cleanPath(workdir + "/" + target);
        if ("/".equals(resolved)) {
            throw new ParseError("invalid mount target \"/\"");
        }
    }
}
