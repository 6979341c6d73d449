package io.imagegate.dockerfile;

import io.imagegate.api.Field;
import io.imagegate.api.Message;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every image a Dockerfile's build uses, following BuildKit's rules for what decides that: parser
 * directives only at the very top ({@code syntax}, {@code escape}, {@code check}), line continuations with
 * the escape character, comment lines inside continuations, heredoc bodies (content, never instructions),
 * case-insensitive instructions, {@code ARG}s before the first {@code FROM} expanded into {@code FROM} lines
 * and overridden by build args, stage names, {@code COPY --from}, {@code RUN --mount=…,from=} and
 * {@code ONBUILD}.
 */
public final class DockerfileReader {
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)\\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");

    private final Path file;
    private final Map<String, String> buildArgs;
    private final Map<String, String> automatic;
    private final List<ImageRef> refs = new ArrayList<>();
    private final Map<String, Optional<String>> globalArgs = new LinkedHashMap<>();
    private final Map<String, ImageRef.ArgDefault> argDefaults = new HashMap<>();
    /** ARGs declared in the current stage: only these expand in COPY --from and RUN --mount (BuildKit's scoping). */
    private final Map<String, Optional<String>> stageArgs = new HashMap<>();
    private boolean inStageScope;
    private static final Pattern WHOLE_ARG = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");
    private final List<String> stages = new ArrayList<>();
    private char escape = '\\';
    private boolean seenFrom;

    private DockerfileReader(Path file, Map<String, String> buildArgs, Platform target) {
        this.file = file;
        this.buildArgs = Map.copyOf(buildArgs);
        this.automatic = automaticArgs(target);
    }

    /**
     * Reads a Dockerfile's text. {@code buildArgs} override declared global ARGs; {@code target} sets the
     * automatic platform args ({@code TARGETARCH}, …), linux/amd64 when absent.
     */
    public static List<ImageRef> read(Path file, String text, Map<String, String> buildArgs, Optional<Platform> target) {
        DockerfileReader reader = new DockerfileReader(file, buildArgs, target.orElse(Platform.of("linux", "amd64")));
        reader.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        return List.copyOf(reader.refs);
    }

    private static Map<String, String> automaticArgs(Platform p) {
        Map<String, String> args = new HashMap<>();
        for (String prefix : List.of("TARGET", "BUILD")) {
            args.put(prefix + "PLATFORM", p.toString());
            args.put(prefix + "OS", p.os());
            args.put(prefix + "ARCH", p.architecture());
            args.put(prefix + "VARIANT", p.variant() == null ? "" : p.variant());
        }
        return args;
    }

    // ---------------------------------------------------------------- lines

    /** A logical line with the physical position of each character. */
    private record Logical(String text, int[] lines, int[] columns, int firstLine) {
    }

    private void parse(String text) {
        List<String> physical = text.lines().toList();
        int i = directives(physical);
        while (i < physical.size()) {
            String line = physical.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                i++;
                continue;
            }
            StringBuilder logical = new StringBuilder();
            List<Integer> lineOf = new ArrayList<>();
            List<Integer> columnOf = new ArrayList<>();
            int start = i;
            boolean continued;
            do {
                if (i >= physical.size()) {
                    throw new DockerfileException(file, start + 1, "the instruction ends with a line continuation ('" + escape
                            + "') but the file ends there; remove the trailing '" + escape + "'");
                }
                String current = physical.get(i);
                String currentTrimmed = current.strip();
                if (i > start && (currentTrimmed.startsWith("#") || currentTrimmed.isEmpty())) {
                    i++; // comment and empty lines inside a continuation are dropped
                    continued = true;
                    continue;
                }
                String body = stripTrailing(current);
                continued = body.endsWith(String.valueOf(escape)) && !body.endsWith(String.valueOf(escape) + escape);
                int end = continued ? body.length() - 1 : body.length();
                for (int c = 0; c < end; c++) {
                    logical.append(current.charAt(c));
                    lineOf.add(i + 1);
                    columnOf.add(c + 1);
                }
                i++;
            } while (continued);
            Logical instruction = new Logical(logical.toString(), lineOf.stream().mapToInt(Integer::intValue).toArray(),
                    columnOf.stream().mapToInt(Integer::intValue).toArray(), start + 1);
            i = skipHeredocs(instruction, physical, i);
            instruction(instruction, 0);
        }
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Parser directives: only at the very top; a blank line, a comment or an instruction ends them. */
    private int directives(List<String> physical) {
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (; i < physical.size(); i++) {
            Matcher m = DIRECTIVE.matcher(physical.get(i));
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!KNOWN_DIRECTIVES.contains(key)) {
                break; // an unknown directive is a comment, and a comment ends the directives
            }
            if (!seen.add(key)) {
                throw new DockerfileException(file, i + 1, "the parser directive \"" + key + "\" is given twice; keep one");
            }
            String value = m.group(2);
            switch (key) {
                case "escape" -> {
                    if (!value.equals("\\") && !value.equals("`")) {
                        throw new DockerfileException(file, i + 1, "escape must be \\ or `, not \"" + value + "\"");
                    }
                    escape = value.charAt(0);
                }
                case "syntax" -> {
                    int column = m.start(2) + 1;
                    refs.add(resolve(value, value, i + 1, column, i + 1, column + value.length(), ImageRef.Kind.SYNTAX));
                }
                default -> {
                }
            }
        }
        return i;
    }

    /** Heredoc bodies are file content: skip them so nothing inside is read as an instruction. */
    private int skipHeredocs(Logical instruction, List<String> physical, int next) {
        String[] words = instruction.text().strip().split("\\s+", 3);
        String keyword = words[0].toUpperCase(Locale.ROOT);
        String rest = instruction.text();
        if (keyword.equals("ONBUILD") && words.length > 1) {
            keyword = words[1].toUpperCase(Locale.ROOT);
        }
        if (!HEREDOC_INSTRUCTIONS.contains(keyword)) {
            return next;
        }
        Matcher m = HEREDOC.matcher(rest);
        int i = next;
        while (m.find()) {
            boolean stripTabs = !m.group(1).isEmpty();
            String terminator = m.group(3);
            while (true) {
                if (i >= physical.size()) {
                    throw new DockerfileException(file, instruction.firstLine(), "the heredoc <<" + terminator
                            + " is not terminated; end it with a line holding only " + terminator);
                }
                String line = physical.get(i++);
                String candidate = stripTabs ? line.replaceFirst("^\t+", "") : line;
                if (candidate.equals(terminator)) {
                    break;
                }
            }
        }
        return i;
    }

    // ---------------------------------------------------------------- instructions

    /** A word of an instruction with its offsets in the logical line. */
    private record Word(String text, int start, int end) {
    }

    private void instruction(Logical line, int offset) {
        List<Word> words = words(line.text(), offset);
        if (words.isEmpty()) {
            return;
        }
        String keyword = words.get(0).text().toUpperCase(Locale.ROOT);
        switch (keyword) {
            case "ONBUILD" -> {
                if (words.size() > 1) {
                    instruction(line, words.get(1).start());
                }
            }
            case "ARG" -> arg(line, words);
            case "FROM" -> from(line, words);
            case "COPY", "ADD" -> {
                for (Word w : words.subList(1, words.size())) {
                    if (!w.text().startsWith("--")) {
                        break;
                    }
                    if (w.text().toLowerCase(Locale.ROOT).startsWith("--from=")) {
                        int valueStart = w.start() + "--from=".length();
                        fromOther(line, unquoteSpan(line.text(), valueStart, w.end()), ImageRef.Kind.COPY_FROM);
                    }
                }
            }
            case "RUN" -> {
                for (Word w : words.subList(1, words.size())) {
                    if (!w.text().startsWith("--")) {
                        break;
                    }
                    if (w.text().toLowerCase(Locale.ROOT).startsWith("--mount=")) {
                        mount(line, w);
                    }
                }
            }
            default -> {
            }
        }
    }

    private void arg(Logical line, List<Word> words) {
        if (seenFrom) {
            // A stage ARG: visible to this stage's instructions, never to FROM lines. Declared without a value,
            // it takes the global ARG's value.
            for (Word w : words.subList(1, words.size())) {
                String text = unquote(w.text());
                int eq = text.indexOf('=');
                String name = eq < 0 ? text : text.substring(0, eq);
                Optional<String> value = buildArgs.containsKey(name) ? Optional.of(buildArgs.get(name))
                        : eq >= 0 ? Optional.of(expandIn(text.substring(eq + 1), line.firstLine(), true).orElse(""))
                        : globalArgs.containsKey(name) ? globalArgs.get(name)
                        : Optional.ofNullable(automatic.get(name));
                stageArgs.put(name, value);
            }
            return;
        }
        for (Word w : words.subList(1, words.size())) {
            String text = unquote(w.text());
            int eq = text.indexOf('=');
            String name = eq < 0 ? text : text.substring(0, eq);
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(expand(text.substring(eq + 1), line.firstLine()).orElse(""));
            argDefaults.remove(name);
            if (buildArgs.containsKey(name)) {
                value = Optional.of(buildArgs.get(name));
            } else if (eq > 0) {
                int rawEq = w.text().indexOf('=');
                Word span = unquoteSpan(line.text(), w.start() + rawEq + 1, w.end());
                if (span.end() > span.start() && line.lines()[span.start()] == line.lines()[span.end() - 1]) {
                    argDefaults.put(name, new ImageRef.ArgDefault(name, line.lines()[span.start()], line.columns()[span.start()],
                            line.columns()[span.end() - 1] + 1, span.text()));
                }
            }
            globalArgs.put(name, value);
        }
    }

    private void from(Logical line, List<Word> words) {
        seenFrom = true;
        stageArgs.clear();
        int index = 1;
        while (index < words.size() && words.get(index).text().startsWith("--")) {
            index++;
        }
        if (index >= words.size()) {
            throw new DockerfileException(file, line.firstLine(), "FROM needs an image, e.g. FROM alpine:3.20");
        }
        Word image = words.get(index);
        String stageName = null;
        if (index + 2 < words.size() && words.get(index + 1).text().equalsIgnoreCase("AS")) {
            stageName = words.get(index + 2).text().toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(stageName).matches()) {
                throw new DockerfileException(file, line.firstLine(), "invalid stage name \"" + words.get(index + 2).text()
                        + "\": it must start with a letter and contain only letters, digits, '-', '_' and '.'");
            }
        } else if (index + 1 < words.size()) {
            throw new DockerfileException(file, line.firstLine(), "FROM takes an image and optionally AS <name>, not \""
                    + line.text().substring(words.get(index + 1).start()).strip() + "\"");
        }
        Word span = unquoteSpan(line.text(), image.start(), image.end());
        Optional<String> expanded = expand(span.text(), line.firstLine());
        String value = expanded.orElse(null);
        boolean isStage = value != null && stages.contains(value.toLowerCase(Locale.ROOT));
        if (!isStage && !"scratch".equalsIgnoreCase(value)) {
            refs.add(at(line, span, expanded, ImageRef.Kind.BASE));
        }
        stages.add(stageName == null ? "" : stageName);
    }

    private void fromOther(Logical line, Word span, ImageRef.Kind kind) {
        Optional<String> expanded = expandIn(span.text(), line.firstLine(), true);
        if (expanded.isPresent()) {
            String value = expanded.get();
            if (value.matches("\\d+") || stages.contains(value.toLowerCase(Locale.ROOT))) {
                return; // a stage, by index or name
            }
        }
        inStageScope = true;
        try {
            refs.add(at(line, span, expanded, kind));
        } finally {
            inStageScope = false;
        }
    }

    private void mount(Logical line, Word flag) {
        int pos = flag.start() + "--mount=".length();
        String options = line.text().substring(pos, flag.end());
        int offset = 0;
        for (String option : options.split(",", -1)) {
            if (option.toLowerCase(Locale.ROOT).startsWith("from=")) {
                int start = pos + offset + "from=".length();
                fromOther(line, unquoteSpan(line.text(), start, pos + offset + option.length()), ImageRef.Kind.MOUNT_FROM);
            }
            offset += option.length() + 1;
        }
    }

    private ImageRef at(Logical line, Word span, Optional<String> expanded, ImageRef.Kind kind) {
        int first = span.start();
        int last = Math.max(span.start(), span.end() - 1);
        if (expanded.isEmpty()) {
            return new ImageRef(file, line.lines()[first], line.columns()[first], line.lines()[last], line.columns()[last] + 1,
                    span.text(), Optional.empty(), kind, Optional.of(unresolvedReason(span.text())), Optional.empty());
        }
        ImageRef ref = resolve(span.text(), expanded.get(), line.lines()[first], line.columns()[first], line.lines()[last],
                line.columns()[last] + 1, kind);
        Matcher whole = WHOLE_ARG.matcher(span.text());
        if (!inStageScope && whole.matches() && argDefaults.containsKey(whole.group(1))) {
            return new ImageRef(ref.file(), ref.line(), ref.column(), ref.endLine(), ref.endColumn(), ref.written(), ref.reference(),
                    ref.kind(), ref.error(), Optional.of(argDefaults.get(whole.group(1))));
        }
        return ref;
    }

    private ImageRef resolve(String written, String value, int line, int column, int endLine, int endColumn, ImageRef.Kind kind) {
        try {
            return new ImageRef(file, line, column, endLine, endColumn, written, Optional.of(ImageReference.parse(value)), kind,
                    Optional.empty(), Optional.empty());
        } catch (InvalidReferenceException e) {
            return new ImageRef(file, line, column, endLine, endColumn, written, Optional.empty(), kind, Optional.of(e.message()),
                    Optional.empty());
        }
    }

    private Message unresolvedReason(String written) {
        Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)").matcher(written);
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            if (lookup(name).isEmpty()) {
                missing.add(name);
            }
        }
        return inStageScope
                ? Message.of("dockerfile.arg-unset-in-stage", "\"{0}\" uses {1}, which has no value in this stage: declare it with ARG"
                        + " in the stage (a global ARG needs ARG {2} there too), or give it as a build arg ({3})",
                        written, String.join(", ", missing), missing.isEmpty() ? "" : missing.get(0), Field.BUILD_ARG)
                : Message.of("dockerfile.arg-unset", "\"{0}\" uses {1}, which has no value: declare it with ARG before the first FROM,"
                        + " give it a default, or give it as a build arg ({2})", written, String.join(", ", missing), Field.BUILD_ARG);
    }

    // ---------------------------------------------------------------- words and variables

    /** Splits on unquoted whitespace from {@code offset}, keeping quotes in the words and their offsets. */
    private List<Word> words(String text, int offset) {
        List<Word> out = new ArrayList<>();
        int i = offset;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            int start = i;
            char quote = 0;
            while (i < text.length() && (quote != 0 || !Character.isWhitespace(text.charAt(i)))) {
                char c = text.charAt(i);
                if (c == escape && i + 1 < text.length() && quote != '\'') {
                    i += 2;
                    continue;
                }
                if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                }
                i++;
            }
            out.add(new Word(text.substring(start, i), start, i));
        }
        return out;
    }

    /** The span inside surrounding quotes, so column spans point at the reference itself. */
    private static Word unquoteSpan(String text, int start, int end) {
        if (end - start >= 2 && (text.charAt(start) == '"' || text.charAt(start) == '\'') && text.charAt(end - 1) == text.charAt(start)) {
            return new Word(text.substring(start + 1, end - 1), start + 1, end - 1);
        }
        return new Word(text.substring(start, end), start, end);
    }

    private static String unquote(String s) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (char c : s.toCharArray()) {
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private Optional<String> lookup(String name) {
        if (inStageScope) {
            return stageArgs.getOrDefault(name, Optional.empty());
        }
        if (globalArgs.containsKey(name)) {
            return globalArgs.get(name);
        }
        return Optional.ofNullable(automatic.get(name));
    }

    private Optional<String> expandIn(String text, int line, boolean stageScope) {
        boolean previous = inStageScope;
        inStageScope = stageScope;
        try {
            return expand(text, line);
        } finally {
            inStageScope = previous;
        }
    }

    /**
     * Expands {@code $V}, {@code ${V}}, {@code ${V:-d}}, {@code ${V-d}}, {@code ${V:+x}}, {@code ${V+x}} with the
     * global ARGs; empty when a variable used without a default has no value (never guessed).
     */
    private Optional<String> expand(String text, int line) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == escape && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= text.length()) {
                if (c != '"' && c != '\'') {
                    out.append(c);
                }
                i++;
                continue;
            }
            if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new DockerfileException(file, line, "\"" + text + "\" has an unterminated ${");
                }
                String inner = text.substring(i + 2, close);
                Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?").matcher(inner);
                if (!m.matches()) {
                    throw new DockerfileException(file, line, "\"${" + inner + "}\" is not a variable expansion");
                }
                Optional<String> value = lookup(m.group(1));
                String op = m.group(2);
                String word = m.group(3);
                if (op == null) {
                    if (value.isEmpty()) {
                        return Optional.empty();
                    }
                    out.append(value.get());
                } else {
                    boolean set = value.isPresent() && (!op.startsWith(":") || !value.get().isEmpty());
                    if (op.endsWith("-")) {
                        out.append(set ? value.get() : word);
                    } else {
                        out.append(set ? word : "");
                    }
                }
                i = close + 1;
            } else {
                Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(text).region(i + 1, text.length());
                if (!m.lookingAt()) {
                    out.append(c);
                    i++;
                    continue;
                }
                Optional<String> value = lookup(m.group());
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                out.append(value.get());
                i = m.end();
            }
        }
        return Optional.of(out.toString());
    }
}
